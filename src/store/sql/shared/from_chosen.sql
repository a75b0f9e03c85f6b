-- ... of the versions in `chosen`, in their order.
FROM chosen v
ORDER BY v.n
