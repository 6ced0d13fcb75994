/* cmd_lookup.c - `reprofile lookup`: resolves source recipients to their
 * migrated targets through the directory module, so the real binary can be
 * checked against a real directory (or a CSV mapping).
 *
 *   reprofile lookup (--ldap-config FILE | --csv FILE) [--json] [--stats] KEY...
 *
 * --ldap-config reads the [Directory] settings of an INI file, so with
 * DirectorySource=nspi it resolves through the address books instead.
 *   reprofile lookup --ldap-config FILE --scp [--domain D] [--site S]
 *
 * Exit: 0 every key resolved, 1 some key not migrated/unknown, 2 usage or
 * configuration error, 3 directory error. */
#include "base/rp_buf.h"
#include "base/rp_err.h"
#include "base/rp_json.h"
#include "base/rp_str.h"
#include "directory/dir.h"
#include "platform/plat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"

static void usage(void)
{
	fprintf(
	    stderr,
	    "usage: reprofile lookup (--ldap-config FILE | --csv FILE) [--json] "
	    "[--stats] KEY...\n"
	    "       reprofile lookup --ldap-config FILE --scp [--domain D] [--site S]\n"
	    "KEY: a legacyExchangeDN (/o=..., X500:/o=...) or SMTP address\n");
}

/* Reads Directory* settings from an INI file (other keys and section headers
 * are ignored, so a whole reprofile.ini can be given). The values live in
 * *text, which the caller frees after the resolver is opened. */
static int read_dir_config(const char *path, dir_config *cfg, char **text)
{
	FILE *f = plat_fopen(path, "rb");
	rp_buf b = RP_BUF_INIT;
	char chunk[4096], *line, *next;
	size_t n, k, nseen = 0;
	const char *seen[64];
	unsigned long lineno = 0;
	int rc = RP_OK;

	*text = NULL;
	if (!f)
		return rp_error_set(RP_EIO, "%s: cannot open", path);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0 && rc == RP_OK)
		rc = rp_buf_append(&b, chunk, n);
	fclose(f);
	if (rc == RP_OK)
		rc = rp_buf_u8(&b, 0);
	if (rc < 0) {
		rp_buf_free(&b);
		return rc;
	}
	*text = (char *)b.data;
	for (line = *text; line; line = next) {
		char *eq, *end, *name;
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		end = line + strlen(line);
		while (end > line &&
		       (end[-1] == '\r' || end[-1] == ' ' || end[-1] == '\t'))
			*--end = '\0';
		while (*line == ' ' || *line == '\t')
			line++;
		if (!*line || *line == ';' || *line == '#' || *line == '[')
			continue;
		eq = strchr(line, '=');
		if (!eq)
			return rp_error_set(RP_EINVAL, "%s:%lu: expected Name=Value",
					    path, lineno);
		name = line;
		for (end = eq; end > name && (end[-1] == ' ' || end[-1] == '\t'); end--)
			;
		*end = '\0';
		line = eq + 1;
		while (*line == ' ' || *line == '\t')
			line++;
		if (rp_ascii_ncasecmp(name, "Directory", 9) != 0)
			continue;
		/* first occurrence wins, as in the config module and Windows'
		 * GetPrivateProfileString */
		for (k = 0; k < nseen && rp_ascii_casecmp(seen[k], name); k++)
			;
		if (k < nseen) {
			fprintf(stderr,
				"reprofile lookup: %s:%lu: duplicate %s ignored\n", path,
				lineno, name);
			continue;
		}
		if (nseen < sizeof(seen) / sizeof(seen[0]))
			seen[nseen++] = name;
		if ((rc = dir_config_set(cfg, name, line)) < 0)
			return rp_error_wrap(rc, "%s:%lu", path, lineno);
	}
	return RP_OK;
}

static void print_text(const char *key, int st, const dir_recipient *r)
{
	if (st != RP_OK) {
		printf("%s => not found\n", key);
		return;
	}
	printf("%s => kind=%s smtp=%s legacy_dn=%s name=\"%s\"\n", key,
	       dir_kind_name(r->kind), r->smtp ? r->smtp : "-",
	       r->legacy_dn ? r->legacy_dn : "-", r->display_name ? r->display_name : "");
}

static void print_json(rp_json *j, const char *key, int st, const dir_recipient *r)
{
	rp_json_obj_begin(j);
	rp_json_kstr(j, "key", key);
	rp_json_kbool(j, "found", st == RP_OK);
	if (st == RP_OK) {
		rp_json_key(j, "target");
		rp_json_obj_begin(j);
		rp_json_kstr(j, "legacy_dn", r->legacy_dn);
		rp_json_kstr(j, "smtp", r->smtp);
		rp_json_kstr(j, "display_name", r->display_name);
		rp_json_kstr(j, "kind", dir_kind_name(r->kind));
		rp_json_obj_end(j);
		rp_json_key(j, "source");
		rp_json_obj_begin(j);
		rp_json_kstr(j, "legacy_dn", r->source_legacy_dn);
		rp_json_kstr(j, "smtp", r->source_smtp);
		rp_json_obj_end(j);
	}
	rp_json_obj_end(j);
}

int rp_cmd_lookup(int argc, char **argv)
{
	const char *ldap_path = NULL, *csv_path = NULL, *domain = NULL, *site = NULL;
	bool json = false, stats = false, scp = false;
	dir_config cfg;
	dir_resolver *r = NULL;
	dir_source_key *keys = NULL;
	dir_recipient *out = NULL;
	int *st = NULL, rc, i, nkeys = 0, ret = 0;
	char *cfgtext = NULL, *connect_env = NULL;
	const char *connect_to[17] = {NULL};
	int n_ct = 0;

	memset(&cfg, 0, sizeof(cfg));
	keys = calloc((size_t)argc, sizeof(*keys));
	if (!keys)
		return 3;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--ldap-config") && i + 1 < argc)
			ldap_path = argv[++i];
		else if (!strcmp(a, "--csv") && i + 1 < argc)
			csv_path = argv[++i];
		else if (!strcmp(a, "--domain") && i + 1 < argc)
			domain = argv[++i];
		else if (!strcmp(a, "--site") && i + 1 < argc)
			site = argv[++i];
		else if (!strcmp(a, "--json"))
			json = true;
		else if (!strcmp(a, "--stats"))
			stats = true;
		else if (!strcmp(a, "--scp"))
			scp = true;
		else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage();
			free(keys);
			return 0;
		} else if (a[0] == '-' && a[1] == '-') {
			fprintf(stderr, "reprofile lookup: unknown option '%s'\n", a);
			usage();
			free(keys);
			return 2;
		} else if (dir_key_parse(a, &keys[nkeys]) < 0) {
			fprintf(stderr, "reprofile lookup: %s\n", rp_error_msg());
			free(keys);
			return 2;
		} else {
			nkeys++;
		}
	}
	if (!!ldap_path == !!csv_path || (!scp && nkeys == 0) || (scp && nkeys)) {
		usage();
		free(keys);
		return 2;
	}
	/* The address-book backend connects over HTTPS; tests point real-looking
	 * names at loopback servers as for update (docs/command-line.md). */
	connect_env = plat_getenv("REPROFILE_CONNECT_TO");
	for (char *p = connect_env ? strtok(connect_env, " ") : NULL; p && n_ct < 16;
	     p = strtok(NULL, " "))
		connect_to[n_ct++] = p;
	cfg.nspi.connect_to = connect_to;
	if (ldap_path) {
		rc = read_dir_config(ldap_path, &cfg, &cfgtext);
		if (rc == RP_OK)
			rc = dir_open(&cfg, &r);
	} else {
		rc = dir_open_csv(csv_path, &r);
	}
	free(cfgtext);
	if (rc < 0) {
		fprintf(stderr, "reprofile lookup: %s\n", rp_error_msg());
		free(connect_env);
		free(keys);
		return 2;
	}
	if (scp) {
		char **urls;
		size_t n, k;
		rc = dir_scp_urls(r, domain, site, &urls, &n);
		if (rc == RP_OK) {
			for (k = 0; k < n; k++)
				printf("%s\n", urls[k]);
			dir_scp_free(urls, n);
		} else if (rc == RP_ENOTFOUND) {
			fprintf(stderr, "reprofile lookup: %s\n", rp_error_msg());
			ret = 1;
		} else {
			fprintf(stderr, "reprofile lookup: %s\n", rp_error_msg());
			ret = 3;
		}
		goto done;
	}
	out = calloc((size_t)nkeys, sizeof(*out));
	st = calloc((size_t)nkeys, sizeof(*st));
	if (!out || !st) {
		ret = 3;
		goto done;
	}
	rc = dir_lookup_many(r, keys, (size_t)nkeys, out, st);
	if (rc < 0) {
		fprintf(stderr, "reprofile lookup: %s\n", rp_error_msg());
		ret = 3;
		goto done;
	}
	if (json) {
		rp_buf b = RP_BUF_INIT;
		rp_json j;
		rp_json_init(&j, &b);
		rp_json_arr_begin(&j);
		for (i = 0; i < nkeys; i++)
			print_json(&j, keys[i].value, st[i], &out[i]);
		rp_json_arr_end(&j);
		if (rp_json_finish(&j) == RP_OK)
			fwrite(b.data, 1, b.len, stdout);
		else
			ret = 3;
		rp_buf_free(&b);
	} else {
		for (i = 0; i < nkeys; i++)
			print_text(keys[i].value, st[i], &out[i]);
	}
	for (i = 0; i < nkeys && ret == 0; i++)
		if (st[i] != RP_OK)
			ret = 1;
done:
	if (stats && r) {
		dir_stats s;
		dir_get_stats(r, &s);
		fprintf(stderr, "lookups=%lu cache_hits=%lu searches=%lu binds=%lu\n",
			s.lookups, s.cache_hits, s.searches, s.binds);
	}
	dir_close(r);
	free(connect_env);
	free(keys);
	free(out);
	free(st);
	return ret;
}
