/* share.c - locating share/crm. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "share.h"
#include "util.h"

#ifndef CRM_SHARE_DIR
#define CRM_SHARE_DIR "/usr/local/share/crm"
#endif

char *crm_share_path(const char *name)
{
	const char *env = getenv("CRM_SHARE");
	char exe[PATH_MAX];
	ssize_t n;
	char *p;

	if (env && *env)
		return crm_xasprintf("%s/%s", env, name);
	p = crm_xasprintf("%s/%s", CRM_SHARE_DIR, name);
	if (access(p, F_OK) == 0)
		return p;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		char *slash;
		int up = 0;

		exe[n] = '\0';
		/* the binary's folder, then two up: build/bin -> the tree */
		while (up < 3 && (slash = strrchr(exe, '/'))) {
			*slash = '\0';
			up++;
		}
		if (up == 3) {
			char *q = crm_xasprintf("%s/share/crm/%s", exe, name);
			if (access(q, F_OK) == 0) {
				free(p);
				return q;
			}
			free(q);
		}
	}
	return p;
}
