/* The state file (last language, recent records): state_load on arbitrary
 * file contents, state_note_record with ids from the input, then a save
 * and a reload that must give back the same state. */
#include <config.h>
#include "fuzz.h"
#include "state.h"

#include <stdlib.h>
#include <unistd.h>
#include <string.h>

static char out[256];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc; (void)argv;
	fz_locale();
	snprintf(out, sizeof out, "%s/state.out", fz_dir());
	return 0;
}

static void check_ids(const state *s)
{
	FZ_CHECK(s->nrecent <= STATE_RECENT_MAX, "%zu recent records", s->nrecent);
	FZ_CHECK(s->lang >= -1 && s->lang <= 1, "language %d", s->lang);
	for (size_t i = 0; i < s->nrecent; i++)
		FZ_CHECK(s->recent[i][0] && !strpbrk(s->recent[i], "\n\r\t"),
			 "recent %zu is empty or spans lines", i);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fz_write("state", data, size);
	char *text, *save = NULL;
	state s, back;
	bool ok;

	state_init(&s);
	ok = state_load(&s, path, fz_null());
	check_ids(&s);
	FZ_CHECK(ok || (s.nrecent == 0 && s.lang == -1), "a damaged file left state behind");

	/* Every line of the input as a record opened, as the browser does. */
	text = fz_string(data, size);
	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
		state_note_record(&s, l);
	free(text);
	check_ids(&s);

	unlink(out);         /* a fresh file: a save merges with what is there */
	FZ_CHECK(state_save(&s, out, fz_null()), "state_save failed: %m");
	state_init(&back);
	FZ_CHECK(state_load(&back, out, fz_null()), "the saved state does not load back");
	FZ_CHECK(back.lang == s.lang, "language %d saved, %d read", s.lang, back.lang);
	FZ_CHECK(back.nrecent == s.nrecent, "%zu recent saved, %zu read", s.nrecent, back.nrecent);
	for (size_t i = 0; i < s.nrecent; i++)
		FZ_CHECK(!strcmp(back.recent[i], s.recent[i]), "recent %zu changed", i);
	state_free(&back);
	state_free(&s);
	return 0;
}
