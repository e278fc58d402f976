/* Checks that need more than reading: regexes compile (ICU) and match
 * their own signature (regex_zh: the Chinese one).  Loading already
 * reports the rest. */
#ifndef ERRKB_VALIDATE_H
#define ERRKB_VALIDATE_H

#include "kb.h"

void kb_validate_regexes(kb *k);
/* What a reference KB needs besides (errkb check --strict): each record
 * cites sources (no-sources), its evidence_count counts them
 * (evidence-count), its regex matches its aliases (alias-mismatch) and no
 * other record's signature it does not link with (regex-overlap), its
 * Chinese signature does not repeat the English (zh-repeats-en). */
void kb_validate_reference(kb *k);

#endif
