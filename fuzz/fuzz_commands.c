/* The commands in workaround text and their risks: commands_extract,
 * commands_clean_copy and commands_risk on arbitrary text.  Checked: each
 * command is a trimmed piece of the text, given once, and its copy is
 * safe to paste (valid UTF-8, no control or format characters). */
#include <config.h>
#include "fuzz.h"
#include "commands.h"
#include "textscan.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc; (void)argv;
	fz_locale();
	return 0;
}

static void check_copy(const char *text)
{
	for (int keep = 0; keep <= 1; keep++) {
		char *c = commands_clean_copy(text, keep);

		FZ_CHECK(text_invalid_utf8(c, strlen(c)) == (size_t)-1, "copy with invalid UTF-8");
		FZ_CHECK(!text_has_control(c) && !strchr(c, '\t'), "copy with a control character");
		FZ_CHECK(keep || !strchr(c, '\n'), "one-line copy with a newline");
		FZ_CHECK(strlen(c) <= strlen(text), "copy longer than the text");
		free(c);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fz_string(data, size), **cmds;
	size_t n = commands_extract(text, &cmds);

	for (size_t i = 0; i < n; i++) {
		const char *c = cmds[i];
		size_t len = strlen(c);

		FZ_CHECK(len >= 2, "command %zu is %zu bytes", i, len);
		FZ_CHECK(!isspace((unsigned char)c[0]) && !isspace((unsigned char)c[len - 1]),
			 "command %zu not trimmed", i);
		FZ_CHECK(strstr(text, c) != NULL, "command %zu is not in the text", i);
		for (size_t j = 0; j < i; j++)
			FZ_CHECK(strcmp(cmds[j], c), "commands %zu and %zu are the same", j, i);
		(void)commands_risk(c);
		check_copy(c);
	}
	commands_free(cmds, n);
	(void)commands_risk(text);
	check_copy(text);
	free(text);
	return 0;
}
