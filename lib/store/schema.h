/* schema.h - the numbered schema migrations (PRAGMA user_version). */
#ifndef CRM_SCHEMA_H
#define CRM_SCHEMA_H

/* SQL of migration n (1-based), applied in one transaction. */
const char *crm_schema_migration(int n);

struct crm_buf;
/* Migration n as PostgreSQL DDL, appended to out (see schema.c). */
void crm_schema_migration_pg(int n, struct crm_buf *out);

#endif
