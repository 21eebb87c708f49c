/* schema.h - the numbered schema migrations (PRAGMA user_version). */
#ifndef CRM_SCHEMA_H
#define CRM_SCHEMA_H

/* SQL of migration n (1-based), applied in one transaction. */
const char *crm_schema_migration(int n);

#endif
