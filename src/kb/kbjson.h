/* The normalized model as JSON (for `show --format json`, `list --format
 * json`): one shape whatever format a record came from. */
#ifndef ERRKB_KBJSON_H
#define ERRKB_KBJSON_H

#include <cJSON.h>

#include "kb.h"

cJSON *kb_record_to_json(const kb *k, const kb_record *r);

#endif
