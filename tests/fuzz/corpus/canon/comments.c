/* license
 * header */
#include <stddef.h> // std
#define STR(x) #x /* stringize */
#define TWO(a, b) \
    ((a) /* first */ + \
     (b)) // second
static const char *s = "/* not a comment */ // nor this";
static const char c = '"'; /* a quote */ static const char d = '\'';
static int n = 1'000 + 0x1p+3 /* C23 separator, hex float */;
int f(int x) { return TWO(x, /* in a macro argument */ 2) /**/ + n; }
// a line comment \
   that goes on
int g(void) { return f(1) + (int)sizeof STR(/* x */ y); }
/* trailing */
