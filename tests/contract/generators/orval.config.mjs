// orval as a user configures it: the fetch client, and `headers: true`,
// without which orval drops every header parameter (Project-ID among them)
// from the functions it writes, without a word.
export default {
  registry: {
    input: "../../../openapi/model-registry.yaml",
    output: {
      target: "out/orval/registry.ts",
      client: "fetch",
      headers: true,
    },
  },
};
