/* libFuzzer target: the INI reader, then the CPUU.ini settings and the
 * SwitchResMB.ini model on whatever it accepted, and the template expanders
 * on the raw input. */
#include "config/cfg_ini.h"
#include "config/cfg_resmb.h"
#include "config/cfg_settings.h"
#include "config/cfg_template.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static char *env_one(void *ud, const char *name)
{
	(void)ud;
	return strlen(name) == 1 ? strdup("v") : NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cfg_ini *ini = NULL;
	if (cfg_ini_parse("fuzz.ini", data, size, NULL, &ini) == 0) {
		cfg_settings s;
		if (cfg_settings_from_ini(ini, &s) == 0)
			cfg_settings_free(&s);
		else
			cfg_settings_free(&s); /* must be safe after an error */
		cfg_ini_free(ini);
	}
	if (cfg_ini_parse("fuzz.ini", data, size, cfg_resmb_list_sections, &ini) == 0) {
		cfg_resmb r;
		if (cfg_resmb_from_ini(ini, &r) == 0)
			cfg_resmb_free(&r);
		cfg_ini_free(ini);
	}
	if (size < 4096) {
		char *t = malloc(size + 1), *out = NULL;
		cfg_name_ctx ctx = {"HOST", 2026, 1, 2, 3, 4, 5, env_one, NULL};
		cfg_notify_vars v = {1, "u", "p", "h", "t", "d"};
		cfg_strlist l;
		if (!t)
			return 0;
		memcpy(t, data, size);
		t[size] = '\0';
		if (cfg_expand_name(t, &ctx, &out) == 0)
			free(out);
		if (cfg_notify_expand(t, &v, &out) == 0)
			free(out);
		out = cfg_csv_name(t);
		free(out);
		if (cfg_split_list(t, &l) == 0)
			cfg_strlist_free(&l);
		free(t);
	}
	return 0;
}
