/* share.h - where crm's data files live (default rules, policies,
 * pipelines, sample data). */
#ifndef CRM_SHARE_H
#define CRM_SHARE_H

/* The path of share/crm/NAME: under $CRM_SHARE when set, else under the
 * compiled-in CRM_SHARE_DIR when it exists there, else under share/crm in
 * the source tree beside the running binary (build/bin/../../share/crm),
 * so an uninstalled build works. Caller frees. */
char *crm_share_path(const char *name);

#endif
