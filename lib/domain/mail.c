/* mail.c - support by email: delivering one parsed message to a ticket,
 * and sending an agent's reply. Threading follows RT and Help Scout:
 * the Message-IDs a ticket's messages carried (ticket_messages), then a
 * [#ID] tag in the subject. Loop protection: mail a machine sent
 * (lib/records/mime.c says which) and mail crm sent itself never open a
 * ticket, and one sender gets at most loop_limit messages an hour. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "activity.h"
#include "asset.h"
#include "campaign_event.h"
#include "contact.h"
#include "dbq.h"
#include "deal.h"
#include "dedupe_import.h"
#include "import_map.h"
#include "mail.h"
#include "ticket.h"

char *crm_base64(const unsigned char *d, size_t n)
{
	static const char tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char *out = crm_xmalloc((n + 2) / 3 * 4 + 1), *o = out;
	size_t i = 0;

	for (; i + 2 < n; i += 3) {
		unsigned v =
		    (unsigned)d[i] << 16 | (unsigned)d[i + 1] << 8 | d[i + 2];
		*o++ = tab[v >> 18];
		*o++ = tab[v >> 12 & 63];
		*o++ = tab[v >> 6 & 63];
		*o++ = tab[v & 63];
	}
	if (i < n) {
		unsigned v = (unsigned)d[i] << 16 |
			     (i + 1 < n ? (unsigned)d[i + 1] << 8 : 0);
		*o++ = tab[v >> 18];
		*o++ = tab[v >> 12 & 63];
		*o++ = i + 1 < n ? tab[v >> 6 & 63] : '=';
		*o++ = '=';
	}
	*o = '\0';
	return out;
}

/* Decode base64 s (no line breaks) into out; -1 on a bad character. */
static int unbase64(const char *s, struct crm_buf *out)
{
	unsigned v = 0;
	int bits = 0;

	for (; *s && *s != '='; s++) {
		int d;

		if (*s >= 'A' && *s <= 'Z')
			d = *s - 'A';
		else if (*s >= 'a' && *s <= 'z')
			d = *s - 'a' + 26;
		else if (*s >= '0' && *s <= '9')
			d = *s - '0' + 52;
		else if (*s == '+')
			d = 62;
		else if (*s == '/')
			d = 63;
		else
			return -1;
		v = (v << 6 | (unsigned)d) & 0xffffff;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			crm_buf_addc(out, (char)(v >> bits & 0xff));
		}
	}
	return 0;
}

/* The bare address of "Name <addr>" or "addr". */
static void bare(const char *s, struct crm_buf *out)
{
	const char *lt = s ? strrchr(s, '<') : NULL;

	crm_buf_reset(out);
	if (!s)
		return;
	if (lt)
		crm_buf_add(out, lt + 1, strcspn(lt + 1, ">"));
	else
		crm_buf_adds(out, s);
	crm_buf_addc(out, '\0');
	out->len--;
}

/* -- delivery -------------------------------------------------------------- */

static int64_t tagged(struct crm_db *db, const char *subject,
		      struct crm_err *err)
{
	for (const char *p = subject; (p = strstr(p, "[#")); p += 2) {
		char *end;
		long long id = strtoll(p + 2, &end, 10);

		if (end > p + 2 && *end == ']' && id > 0)
			return crm_dbq_int(
			    db, err, "SELECT id FROM tickets WHERE id = ?", "i",
			    (int64_t)id);
	}
	return 0;
}

static int64_t threaded(struct crm_db *db, const struct crm_mail *m,
			struct crm_err *err)
{
	int64_t t;

	/* In-Reply-To first (the message answered), then References from
	 * the newest */
	for (size_t i = 0; i < m->refs.n; i++) {
		size_t k = i == 0 ? 0 : m->refs.n - i;
		t = crm_db_int(db,
			       "SELECT ticket_id FROM ticket_messages WHERE "
			       "message_id = ?1",
			       m->refs.v[k], NULL, err);
		if (t)
			return t;
	}
	return tagged(db, m->subject, err);
}

static int contact_for(struct crm_db *db, const struct crm_mail *m,
		       const struct crm_mail_in_opts *o,
		       struct crm_mail_in_result *r, struct crm_err *err)
{
	struct crm_import_opts io = {
	    .command = "mail", .mode = CRM_CREATE_ONLY, .keys = "email"};
	struct crm_dupcheck *dc = NULL;
	struct crm_importer *im = NULL;
	enum crm_import_action a;
	struct crm_row row;
	struct crm_rec in;
	int rc;

	crm_row_init(&row, &crm_contact_entity);
	crm_rec_init(&in);
	rc = crm_entity_find(db, &crm_contact_entity, m->from_addr, &row, err);
	if (rc != 0)
		goto out;
	if (o->model) {
		struct crm_dupcheck_opts d = {.policy = CRM_ONDUP_FLAG,
					      .threshold = 0.5,
					      .model = true,
					      .exact = true};
		if (!(dc =
			  crm_dupcheck_new(db, &crm_contact_entity, &d, err))) {
			rc = -1;
			goto out;
		}
		io.check = crm_dupcheck_import;
		io.check_arg = dc;
	}
	crm_rec_adds(&in, "email", m->from_addr);
	if (m->from_name) { /* split here: the dedupe check sees the names */
		struct crm_row nm;

		crm_row_init(&nm, &crm_contact_entity);
		json_object_set_new(nm.custom, "name",
				    json_string(m->from_name));
		crm_row_take_full_name(&nm);
		if (crm_row_get(&nm, "first_name"))
			crm_rec_adds(&in, "first_name",
				     crm_row_get(&nm, "first_name"));
		if (crm_row_get(&nm, "last_name"))
			crm_rec_adds(&in, "last_name",
				     crm_row_get(&nm, "last_name"));
		crm_row_release(&nm);
	}
	crm_rec_adds(&in, "source", "email");
	rc = -1;
	if (!(im = crm_importer_new(db, &crm_contact_entity, &io, err)) ||
	    crm_importer_apply(im, &in, &row, &a, err) < 0)
		goto out;
	r->new_contact = a == CRM_INSERTED;
	rc = 1;
out:
	if (rc > 0)
		r->contact_id = crm_row_id(&row);
	crm_importer_free(im);
	crm_dupcheck_free(dc);
	crm_rec_release(&in);
	crm_row_release(&row);
	return rc < 0 ? -1 : 0;
}

static int open_ticket(struct crm_db *db, const struct crm_mail *m,
		       struct crm_mail_in_result *r, struct crm_err *err)
{
	struct crm_rec in;
	char num[32];
	int64_t asset = 0;
	int rc = -1;

	crm_rec_init(&in);
	snprintf(num, sizeof(num), "%lld", (long long)r->contact_id);
	crm_rec_adds(&in, "subject", *m->subject ? m->subject : "(no subject)");
	crm_rec_adds(&in, "description", m->text);
	crm_rec_adds(&in, "contact_id", num);
	crm_rec_adds(&in, "channel", "email");
	if (crm_create_one(db, &crm_ticket_entity, "mail", &in, &r->ticket_id,
			   err) == 0) {
		r->opened = true;
		/* a serial number of one of the requester's assets in the
		 * subject or text names the ticket's asset */
		if (crm_asset_named(db, r->contact_id, m->subject, m->text,
				    &asset, err) == 0 &&
		    (!asset ||
		     crm_asset_link_id(db, r->ticket_id, asset, err) == 0))
			rc = 0;
	}
	crm_rec_release(&in);
	return rc;
}

static int record_message(struct crm_db *db, int64_t ticket, int64_t act,
			  const char *msgid, const char *dir,
			  const char *sender, int64_t *id, struct crm_err *err)
{
	char now[CRM_TIME_LEN];

	return crm_dbq_step(
		   db, err, id,
		   "INSERT INTO ticket_messages (ticket_id, activity_id, "
		   "message_id, direction, sender, at) VALUES (?, ?, ?, ?, ?, "
		   "?) RETURNING id",
		   "iIssss", ticket, act, msgid, dir, sender,
		   crm_datetime_format(db->now, now)) < 0
		   ? -1
		   : 0;
}

static int store_attachments(struct crm_db *db, const struct crm_mail *m,
			     int64_t ticket, int64_t msg,
			     struct crm_mail_in_result *r, struct crm_err *err)
{
	char now[CRM_TIME_LEN];

	crm_datetime_format(db->now, now);
	for (size_t i = 0; i < m->natt; i++) {
		const struct crm_mail_att *a = &m->att[i];
		char *b64 = a->data ? crm_base64(a->data, a->size) : NULL;
		int rc = crm_dbq_run(
		    db, err,
		    "INSERT INTO ticket_attachments (ticket_id, message_id, "
		    "filename, content_type, size, content, created_at) "
		    "VALUES (?, ?, ?, ?, ?, ?, ?)",
		    "iIssiss", ticket, msg, *a->filename ? a->filename : NULL,
		    a->content_type, (int64_t)a->size, b64, now);

		free(b64);
		if (rc < 0)
			return -1;
		if (a->data)
			r->attachments++;
		else
			r->dropped++;
	}
	return 0;
}

/* More than limit messages from sender within the last hour. */
static int flooding(struct crm_db *db, const char *sender, int limit,
		    struct crm_err *err)
{
	char since[CRM_TIME_LEN];
	int64_t n;

	crm_datetime_format(db->now - 3600, since);
	n = crm_db_int(db,
		       "SELECT count(*) FROM ticket_messages WHERE sender = ?1 "
		       "AND direction = 'in' AND at > ?2",
		       sender, since, err);
	return n < 0 ? -1 : n >= limit;
}

int crm_mail_deliver(struct crm_db *db, const struct crm_mail *m,
		     const struct crm_mail_in_opts *o,
		     struct crm_mail_in_result *r, struct crm_err *err)
{
	struct crm_buf self = {0};
	int64_t act = 0, msg = 0, t;
	char *sender = NULL;
	int rc = -1, f;

	memset(r, 0, sizeof(*r));
	bare(o->self, &self);
	if (m->automatic) {
		r->ignored = m->automatic;
		crm_buf_release(&self);
		return 0;
	}
	if ((m->loop && self.len && strstr(m->loop, self.s)) ||
	    (self.len && !strcasecmp(m->from_addr, self.s))) {
		r->ignored = "loop";
		crm_buf_release(&self);
		return 0;
	}
	crm_buf_release(&self);
	sender = crm_xstrdup(m->from_addr);
	for (char *p = sender; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	if (crm_db_begin(db, err) < 0)
		goto done;
	if (m->message_id) {
		t = crm_db_int(db,
			       "SELECT ticket_id FROM ticket_messages WHERE "
			       "message_id = ?1",
			       m->message_id, NULL, err);
		if (t < 0)
			goto out;
		if (t) {
			r->ignored = "duplicate";
			r->ticket_id = t;
			rc = 0;
			goto out;
		}
	}
	f = flooding(db, sender,
		     o->loop_limit > 0 ? o->loop_limit : CRM_MAIL_LOOP_LIMIT,
		     err);
	if (f < 0)
		goto out;
	if (f) {
		r->ignored = "loop";
		rc = 0;
		goto out;
	}
	if (contact_for(db, m, o, r, err) < 0)
		goto out;
	/* a reply to a campaign message marks its member replied, and
	 * still reaches a ticket: a person wrote, someone should read it */
	if (m->refs.n) {
		char at[CRM_TIME_LEN];

		crm_datetime_format(db->now, at);
		if (crm_campaign_reply(db, m->refs.v[0], at, &r->campaign_reply,
				       err) < 0)
			goto out;
	}
	t = threaded(db, m, err);
	if (t < 0)
		goto out;
	if (t) { /* a closed ticket is final: a follow-up opens a new one */
		int64_t closed = crm_dbq_int(
		    db, err,
		    "SELECT count(*) FROM tickets WHERE id = ? AND status = "
		    "'closed'",
		    "i", t);

		if (closed < 0)
			goto out;
		if (closed)
			t = 0;
	}
	if (t) {
		struct crm_ticket_action a = {.op = CRM_TICKET_REPLY,
					      .body = m->text,
					      .customer = true,
					      .logged = &act};
		uint64_t changed;

		if (crm_ticket_act_in(db, &t, 1, &a, &changed, NULL, err) < 0)
			goto out;
		r->ticket_id = t;
	} else if (open_ticket(db, m, r, err) < 0) {
		goto out;
	}
	if (m->message_id &&
	    record_message(db, r->ticket_id, act, m->message_id, "in", sender,
			   &msg, err) < 0)
		goto out;
	if (!m->message_id) { /* still counts against a flood */
		char gen[96];
		snprintf(gen, sizeof(gen), "crm-no-id.%lld.%lld@invalid",
			 (long long)r->ticket_id, (long long)act);
		if (record_message(db, r->ticket_id, act, gen, "in", sender,
				   &msg, err) < 0)
			goto out;
	}
	if (store_attachments(db, m, r->ticket_id, msg, r, err) < 0)
		goto out;
	rc = 0;
out:
	if (rc == 0 && !r->ignored && !o->dry_run)
		rc = crm_db_commit(db, err);
	if (rc < 0 || r->ignored || o->dry_run)
		crm_db_rollback(db);
done:
	free(sender);
	return rc;
}

/* -- sending --------------------------------------------------------------- */

static int push_ref(struct crm_stmt *st, void *arg)
{
	struct crm_strv *v = arg;

	crm_strv_push(v, crm_stmt_text(st, 0));
	return 0;
}

/* Run argv without a shell, msg on its standard input: 1 when it could
 * not be started (the caller asks the shell), else 0 with its wait
 * status in *st and whether all of msg was written in *wrote. */
static int spawn_plain(char *const *argv, const char *msg, int *st, int *wrote)
{
	posix_spawn_file_actions_t fa;
	size_t n = strlen(msg), off = 0;
	int fd[2], rc;
	pid_t pid;

	if (pipe2(fd, O_CLOEXEC) < 0)
		return 1;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fd[0], 0);
	rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fd[0]);
	if (rc) {
		close(fd[1]);
		return 1;
	}
	while (off < n) {
		ssize_t w = write(fd[1], msg + off, n - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	close(fd[1]);
	*st = -1;
	while (waitpid(pid, st, 0) < 0 && errno == EINTR)
		;
	*wrote = off == n;
	return 0;
}

static bool first_word_has(const char *cmd, int c)
{
	cmd += strspn(cmd, " ");
	return memchr(cmd, c, strcspn(cmd, " ")) != NULL;
}

int crm_sendmail(const char *cmd, const char *msg, const char *then,
		 struct crm_err *err)
{
	void (*old)(int) = signal(SIGPIPE, SIG_IGN);
	int st = -1, wrote = 0, started = 0;

	/* a plain command (no quotes, redirections, variables...) runs as
	 * the shell would run it, without a shell per message (#20); an
	 * "=" makes an assignment only in the first word ("VAR=x cmd"),
	 * later ones are arguments ("dd of=/dev/null") */
	if (!strpbrk(cmd, "|&;<>()$`\\\"'*?[]#~%{}!\t\n") &&
	    !first_word_has(cmd, '=')) {
		struct crm_strv words = {0};
		char **av = NULL;

		crm_strv_split(&words, cmd, ' ');
		if (words.n) {
			av = crm_xcalloc(words.n + 1, sizeof(*av));
			for (size_t i = 0; i < words.n; i++)
				av[i] = words.v[i];
			started = spawn_plain(av, msg, &st, &wrote) == 0;
		}
		free(av);
		crm_strv_release(&words);
	}
	if (!started) {
		FILE *p = popen(cmd, "w");

		if (!p) {
			signal(SIGPIPE, old);
			return crm_err_set(err, CRM_EX_TEMPFAIL,
					   "cannot run '%s': %s", cmd,
					   strerror(errno));
		}
		wrote = fwrite(msg, 1, strlen(msg), p) == strlen(msg);
		st = pclose(p);
	}
	signal(SIGPIPE, old);
	if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) || !wrote)
		return crm_err_set(
		    err, CRM_EX_TEMPFAIL, "'%s' failed (%s %d): %s", cmd,
		    WIFEXITED(st) ? "exit" : "signal",
		    WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st), then);
	return 0;
}

int crm_mail_send_reply(struct crm_db *db, int64_t ticket, int64_t activity_id,
			const char *body, const struct crm_mail_out_opts *o,
			char **msgout, struct crm_err *err)
{
	struct crm_stmt *st = NULL;
	struct crm_strv refs = {0};
	struct crm_buf from = {0}, name = {0}, subj = {0}, text = {0},
		       mid = {0}, tag = {0};
	char *to = NULL, *to_name = NULL, *subject = NULL, *msg = NULL;
	const char *at;
	int rc = -1;

	st =
	    crm_dbq(db, err,
		    "SELECT t.subject, c.email, c.first_name, c.last_name FROM "
		    "tickets t LEFT JOIN contacts c ON c.id = t.contact_id "
		    "WHERE t.id = ?",
		    "i", ticket);
	if (!st)
		return -1;
	if (crm_stmt_step(st, err) == 1) {
		const char *fn = crm_stmt_text(st, 2),
			   *ln = crm_stmt_text(st, 3);
		subject = crm_xstrdup(
		    crm_stmt_text(st, 0) ? crm_stmt_text(st, 0) : "");
		to = crm_stmt_text(st, 1) ? crm_xstrdup(crm_stmt_text(st, 1))
					  : NULL;
		if (fn || ln)
			to_name =
			    crm_xasprintf("%s%s%s", fn ? fn : "",
					  fn && ln ? " " : "", ln ? ln : "");
	}
	crm_stmt_reset(st);
	if (!to) {
		crm_err_set(err, CRM_EX_DATAERR,
			    "ticket %lld: its contact has no email address",
			    (long long)ticket);
		goto out;
	}
	if (crm_dbq_each(db, err, push_ref, &refs,
			 "SELECT message_id FROM ticket_messages WHERE "
			 "ticket_id = ? ORDER BY id",
			 "i", ticket) < 0)
		goto out;
	bare(o->from, &from);
	if (o->from && strchr(o->from, '<')) {
		size_t k = (size_t)(strchr(o->from, '<') - o->from);
		while (k && o->from[k - 1] == ' ')
			k--;
		crm_buf_add(&name, o->from, k);
		crm_buf_addc(&name, '\0');
	}
	crm_buf_addf(&tag, "[#%lld]", (long long)ticket);
	crm_buf_addf(&subj, "%s%s",
		     strncasecmp(subject, "Re:", 3) ? "Re: " : "", subject);
	if (!strstr(subject, tag.s))
		crm_buf_addf(&subj, " %s", tag.s);
	crm_buf_adds(&text, body);
	if (text.len && text.s[text.len - 1] != '\n')
		crm_buf_addc(&text, '\n');
	if (o->signature && *o->signature)
		crm_buf_addf(
		    &text, "\n-- \n%s%s", o->signature,
		    o->signature[strlen(o->signature) - 1] == '\n' ? "" : "\n");
	at = from.len ? strchr(from.s, '@') : NULL;
	crm_buf_addf(&mid, "crm.%lld.%lld.%lld%s", (long long)ticket,
		     (long long)activity_id, (long long)db->now,
		     at ? at : "@localhost");
	{
		struct crm_mail_out mo = {
		    .from_name = name.len ? name.s : NULL,
		    .from_addr = from.len ? from.s : NULL,
		    .to_name = to_name,
		    .to_addr = to,
		    .subject = subj.s,
		    .body = text.s,
		    .message_id = mid.s,
		    .refs = &refs,
		    .in_reply_to = refs.n ? refs.v[refs.n - 1] : NULL,
		    .loop = from.len ? from.s : NULL,
		    .date = db->now,
		};
		if (!(msg = crm_mail_build(&mo, err)))
			goto out;
	}
	if (record_message(db, ticket, activity_id, mid.s, "out",
			   from.len ? from.s : NULL, NULL, err) < 0 ||
	    crm_sendmail(o->sendmail ? o->sendmail : CRM_SENDMAIL_DEFAULT, msg,
			 "the reply was not recorded", err) < 0)
		goto out;
	rc = 0;
	if (msgout) {
		*msgout = msg;
		msg = NULL;
	}
out:
	free(msg);
	free(to);
	free(to_name);
	free(subject);
	crm_strv_release(&refs);
	crm_buf_release(&from);
	crm_buf_release(&name);
	crm_buf_release(&subj);
	crm_buf_release(&text);
	crm_buf_release(&mid);
	crm_buf_release(&tag);
	return rc;
}

/* -- canned responses ---------------------------------------------------- */

static int fill(struct crm_db *db, const char *path, const char *tmpl,
		const struct crm_row *t, const struct crm_row *c,
		const char *agent, struct crm_buf *out, struct crm_err *err)
{
	const char *p = tmpl, *open;

	while ((open = strstr(p, "{{"))) {
		const char *close = strstr(open, "}}");
		char name[128];
		const char *v = NULL;
		size_t k;

		if (!close)
			break;
		crm_buf_add(out, p, (size_t)(open - p));
		k = (size_t)(close - open - 2);
		snprintf(name, sizeof(name), "%.*s", (int)k, open + 2);
		if (!strcmp(name, "agent")) {
			v = agent;
		} else if (!strncmp(name, "ticket.", 7) &&
			   crm_entity_field(t->e, name + 7) >= 0) {
			v = crm_row_get(t, name + 7);
		} else if (!strncmp(name, "contact.", 8) &&
			   crm_entity_field(&crm_contact_entity, name + 8) >=
			       0) {
			v = c ? crm_row_get(c, name + 8) : NULL;
		} else {
			return crm_err_set(
			    err, CRM_EX_CONFIG,
			    "%s: unknown field '{{%s}}' (ticket.F, "
			    "contact.F or agent)",
			    path, name);
		}
		if (v)
			crm_buf_adds(out, v);
		p = close + 2;
	}
	crm_buf_adds(out, p);
	(void)db;
	return 0;
}

int crm_macro_expand(struct crm_db *db, const char *path, const char *name,
		     int64_t ticket, const char *agent, char **body,
		     struct crm_rec *set, struct crm_err *err)
{
	json_error_t je;
	json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &je), *m,
	       *b, *s;
	struct crm_row t, c;
	struct crm_buf out = {0};
	bool have_c = false;
	const char *k;
	json_t *v;
	int rc = -1;

	*body = NULL;
	crm_row_init(&t, &crm_ticket_entity);
	crm_row_init(&c, &crm_contact_entity);
	if (!root) {
		crm_err_set(err, CRM_EX_CONFIG, "%s:%d: %s", path, je.line,
			    je.text);
		goto out;
	}
	m = json_object_get(json_object_get(root, "macros"), name);
	if (!json_is_object(m)) {
		crm_err_set(err, CRM_EX_CONFIG, "%s: no macro '%s'", path,
			    name);
		goto out;
	}
	b = json_object_get(m, "body");
	s = json_object_get(m, "set");
	if ((b && !json_is_string(b)) || (s && !json_is_object(s))) {
		crm_err_set(err, CRM_EX_CONFIG,
			    "%s: macro '%s': body is text, set an object", path,
			    name);
		goto out;
	}
	if (crm_entity_get(db, &crm_ticket_entity, ticket, &t, err) <= 0) {
		if (!err->code)
			crm_err_set(err, CRM_EX_NOINPUT, "no ticket %lld",
				    (long long)ticket);
		goto out;
	}
	if (crm_row_get(&t, "contact_id")) {
		int r = crm_entity_get(
		    db, &crm_contact_entity,
		    strtoll(crm_row_get(&t, "contact_id"), NULL, 10), &c, err);
		if (r < 0)
			goto out;
		have_c = r > 0;
	}
	if (b && fill(db, path, json_string_value(b), &t, have_c ? &c : NULL,
		      agent, &out, err) < 0)
		goto out;
	json_object_foreach(s, k, v)
	{
		if (!json_is_string(v)) {
			crm_err_set(err, CRM_EX_CONFIG,
				    "%s: macro '%s': set.%s is not text", path,
				    name, k);
			goto out;
		}
		if (crm_entity_field(&crm_ticket_entity, k) < 0) {
			crm_err_set(err, CRM_EX_CONFIG,
				    "%s: macro '%s': no ticket field '%s'",
				    path, name, k);
			goto out;
		}
		if (set)
			crm_rec_adds(set, k, json_string_value(v));
	}
	crm_buf_addc(&out, '\0');
	*body = crm_buf_detach(&out);
	rc = 0;
out:
	crm_buf_release(&out);
	crm_row_release(&t);
	crm_row_release(&c);
	json_decref(root);
	return rc;
}

/* -- attachments ------------------------------------------------------------
 */

struct att_list {
	struct crm_ticket_att *v;
	size_t n, cap;
	int64_t k, want;
	bool data;
	int bad;
};

static int push_att(struct crm_stmt *st, void *arg)
{
	struct att_list *l = arg;
	struct crm_ticket_att *a;
	const char *c;

	l->k++;
	if (l->want && l->k != l->want)
		return 0;
	l->v = crm_xgrow(l->v, &l->cap, l->n + 1, sizeof(*l->v));
	a = &l->v[l->n++];
	memset(a, 0, sizeof(*a));
	a->n = l->k;
	a->filename =
	    crm_stmt_text(st, 0) ? crm_xstrdup(crm_stmt_text(st, 0)) : NULL;
	a->content_type =
	    crm_xstrdup(crm_stmt_text(st, 1) ? crm_stmt_text(st, 1) : "");
	a->size = crm_stmt_int(st, 2);
	c = crm_stmt_text(st, 3);
	if (c && l->data) {
		struct crm_buf b = {0};

		if (unbase64(c, &b) < 0 || (int64_t)b.len != a->size)
			l->bad = 1;
		crm_buf_addc(&b, '\0'); /* a zero-length attachment is kept */
		a->data = (unsigned char *)b.s;
	} else if (c) {
		a->data = (unsigned char *)crm_xstrdup(""); /* kept */
	}
	return 0;
}

int crm_ticket_attachments(struct crm_db *db, int64_t ticket, int64_t n,
			   bool want_data, struct crm_ticket_att **v,
			   size_t *nv, struct crm_err *err)
{
	struct att_list l = {.want = n, .data = want_data};
	int rc;

	*v = NULL;
	*nv = 0;
	if (crm_ticket_exists(db, ticket, err) < 0)
		return -1;
	/* content only when asked: one attachment may be megabytes */
	rc = crm_dbq_each(db, err, push_att, &l,
			  want_data
			      ? "SELECT filename, content_type, size, "
				"content FROM ticket_attachments WHERE "
				"ticket_id = ? ORDER BY id"
			      : "SELECT filename, content_type, size, CASE "
				"WHEN content IS NULL THEN NULL ELSE '' END "
				"FROM ticket_attachments WHERE ticket_id = "
				"? ORDER BY id",
			  "i", ticket);
	if (rc == 0 && l.bad)
		rc = crm_err_set(err, CRM_EX_SOFTWARE,
				 "ticket %lld: stored attachment %lld does not "
				 "decode to its size",
				 (long long)ticket, (long long)n);
	if (rc == 0 && n && !l.n)
		rc = crm_err_set(err, CRM_EX_NOINPUT,
				 "ticket %lld has no attachment %lld (it has "
				 "%lld)",
				 (long long)ticket, (long long)n,
				 (long long)l.k);
	if (rc < 0) {
		crm_ticket_atts_free(l.v, l.n);
		return -1;
	}
	*v = l.v;
	*nv = l.n;
	return 0;
}

void crm_ticket_atts_free(struct crm_ticket_att *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].filename);
		free(v[i].content_type);
		free(v[i].data);
	}
	free(v);
}

char *crm_attachment_safe_name(const char *name)
{
	const char *b = name;

	if (!name)
		return NULL;
	for (const char *p = name; *p; p++)
		if (*p == '/' || *p == '\\')
			b = p + 1;
	if (!*b || *b == '.' || *b == '-')
		return NULL;
	for (const char *p = b; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return NULL;
	return crm_xstrdup(b);
}
