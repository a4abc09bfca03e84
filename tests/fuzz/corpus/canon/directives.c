#include <a//b.h> // x
#  include_next <c/*d>
/* a
 */ int x; /* b */
#define M(a) \
  (a) /* c */
char *s = "\\
//";
int n = 1'000;
// stackcheck: targets(f)
