/* Checks that need more than reading: regexes compile (ICU) and match
 * their own signature (regex_zh: the Chinese one).  Loading already
 * reports the rest. */
#ifndef ERRKB_VALIDATE_H
#define ERRKB_VALIDATE_H

#include "kb.h"

void kb_validate_regexes(kb *k);

#endif
