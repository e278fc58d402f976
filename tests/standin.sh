#!/bin/sh
# Writes to stdout the stand-in for a test program that was not built
# because configure did not find a library it needs: a script that says so
# and exits 77, so that make check shows that test as SKIP, with the
# reason, instead of leaving it out.
# Usage: standin.sh tests/NAME.skip LIBRARIES PACKAGES
printf '#!/bin/sh\necho "%s: not built: configure found no %s (apt-get install %s, then run configure again)"\nexit 77\n' \
	"${1%.skip}" "$2" "$3"
