//! On CMP's tables, the ids a write names are foreign keys to CMP's own
//! tables, declared as Django declares them (`DEFERRABLE INITIALLY
//! DEFERRED`, checked at COMMIT). An id CMP does not know is the caller's
//! mistake: a 400 that names the field or header, and nothing written.

use serde_json::json;
use uuid::Uuid;

use crate::helpers::{Backend, TestApp};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(postgres_tests), ignore = "PostgreSQL: set TEST_DATABASE_URL")]
async fn ids_cmp_does_not_know_are_400s_that_name_the_field() {
    let Some(app) = TestApp::spawn(Backend::Postgres).await else {
        return;
    };
    let region = Uuid::new_v4();
    app.insert_region(region, "eu-1").await;
    app.execute_sql(&format!(
        "CREATE TABLE cmp_project (id UUID PRIMARY KEY);
         INSERT INTO cmp_project VALUES ('{}');
         ALTER TABLE model_registry_registered_model
           ADD CONSTRAINT model_registry_regis_project_id_3f1c_fk_cmp_proj
             FOREIGN KEY (project_id) REFERENCES cmp_project (id) DEFERRABLE INITIALLY DEFERRED,
           ADD CONSTRAINT model_registry_regis_region_id_9a2e_fk_organiza
             FOREIGN KEY (region_id) REFERENCES organization_region (id) DEFERRABLE INITIALLY DEFERRED,
           ADD CONSTRAINT model_registry_regis_owner_id_77d0_fk_tenant_u
             FOREIGN KEY (owner_id) REFERENCES tenant_user (id) DEFERRABLE INITIALLY DEFERRED;",
        app.project
    ))
    .await;

    let model = app
        .post("/models", &json!({"name": "known", "region_id": region}))
        .await
        .expect(201);
    assert_eq!(model["region_name"], "eu-1");

    let reply = app
        .post(
            "/models",
            &json!({"name": "lost", "region_id": Uuid::new_v4()}),
        )
        .await;
    assert_eq!(reply.status, 400, "{}", reply.text);
    assert_eq!(reply.body["code"], "invalid_argument");
    assert!(reply.error().starts_with("region_id: "), "{}", reply.text);

    let stranger = Uuid::new_v4();
    let reply = app
        .post_as(
            stranger,
            "/models",
            &json!({"name": "lost", "region_id": region}),
        )
        .await;
    assert_eq!(reply.status, 400, "{}", reply.text);
    assert!(reply.error().starts_with("Project-ID: "), "{}", reply.text);

    // Reads of a project CMP does not know answer as for an empty project.
    let listed = app.get_as(stranger, "/models").await.expect(200);
    assert_eq!(listed["total"], 0);
    let listed = app.get("/models").await.expect(200);
    assert_eq!(listed["total"], 1, "nothing else was written");
}
