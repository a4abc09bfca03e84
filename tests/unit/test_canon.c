/* Unit tests for the canonical form of a source (cache/canon.c): comments
 * and trailing blanks go, every token stays at its line and column, and
 * nothing that looks like a comment inside a literal or a header name is
 * touched. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cache/canon.h"

/* The canonical form of `src` as a new string, or NULL when it has none. */
static char *canon(const char *src)
{
    size_t len = strlen(src);
    char *out = malloc(len + 1);
    assert_non_null(out);
    size_t n = canon_source(src, len, out);
    if (n == (size_t)-1) {
        free(out);
        return NULL;
    }
    assert_true(n <= len);
    out[n] = '\0';
    return out;
}

static void expect(const char *src, const char *want)
{
    char *got = canon(src);
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

static void same(const char *a, const char *b)
{
    char *x = canon(a), *y = canon(b);
    assert_non_null(x);
    assert_non_null(y);
    assert_string_equal(x, y);
    free(x);
    free(y);
}

static void differ(const char *a, const char *b)
{
    char *x = canon(a), *y = canon(b);
    assert_non_null(x);
    assert_non_null(y);
    assert_string_not_equal(x, y);
    free(x);
    free(y);
}

static void test_comments_blanked_in_place(void **state)
{
    (void)state;
    expect("int a; // note\n", "int a;");
    expect("int /* x */ b;\n", "int         b;");
    expect("/* one\n two */ int c;\n", "/*\n     */ int c;");
    expect("int d;   \t\r\n\n\n   \n", "int d;");
    expect("", "");
    /* a comment is a blank between tokens: a/ * * /b stays two tokens */
    expect("a/**/b", "a    b");
}

static void test_what_moves_a_token_differs(void **state)
{
    (void)state;
    same("int f(void);\n", "int f(void); /* appended */\n// and more\n\n");
    same("int f(void); /* x */\n", "int f(void); /* a longer comment */\n");
    same("int f(void);\r\n", "int f(void);\n");
    differ("int f(void);\n", "/* x */ int f(void);\n");       /* column */
    differ("int f(void);\n", "// x\nint f(void);\n");          /* line */
    differ("int /* x */ f;\n", "int /* xy */ f;\n");           /* column */
    differ("int f(void);\n", "int g(void);\n");                /* token */
    differ("#define F(x) x\n", "#define F (x) x\n");           /* meaning */
}

static void test_literals_and_header_names_kept(void **state)
{
    (void)state;
    expect("char *s = \"/* no */ // no\";\n", "char *s = \"/* no */ // no\";");
    expect("int q = '\"'; // c\n", "int q = '\"';");
    expect("char *e = \"a\\\"//b\";\n", "char *e = \"a\\\"//b\";");
    expect("#include <sys//x.h> // c\n", "#include <sys//x.h>");
    expect("  #  include_next <a/*b.h>\n", "  #  include_next <a/*b.h>");
    expect("# /* c */ import <a//b>\n", "#         import <a//b>");
    /* a comparison in #if is no header name */
    expect("#if A < B // c\n#endif\n", "#if A < B\n#endif");
    /* C23 digit separators are no character literal */
    expect("int n = 1'000; // don't\n", "int n = 1'000;");
    expect("int m = 0x1'0p+1'0; /* c */\n", "int m = 0x1'0p+1'0;");
}

static void test_stackcheck_comments_kept(void **state)
{
    (void)state;
    expect("f(); // stackcheck: targets(a, b)\n", "f(); // stackcheck: targets(a, b)");
    differ("cb(); // stackcheck: targets(a)\n", "cb(); // stackcheck: targets(b)\n");
    differ("int x;\n", "int x; /* stackcheck: ignore[recursion] */\n");
}

static void test_splices(void **state)
{
    (void)state;
    /* a line comment goes on over a splice: the next line is comment too */
    expect("// a \\\nint x; /* \nint y; */\n", "\n\nint y; */");
    /* a splice inside a string keeps the string going */
    expect("char *s = \"a\\\n// b\";\n", "char *s = \"a\\\n// b\";");
    expect("char *t = \"a\\  \n// b\";\n", "char *t = \"a\\\n// b\";");
    /* an escaped backslash before a line break is still a splice */
    expect("char *u = \"\\\\\n//\";\n", "char *u = \"\\\\\n//\";");
    /* macros over several lines */
    expect("#define M(a) \\\n  (a) /* c */\n", "#define M(a) \\\n  (a)");
}

static void test_no_canonical_form(void **state)
{
    (void)state;
    assert_null(canon("/\\\n* not sure */ int x;\n"));
    assert_null(canon("int x; /* never closed\n"));
    assert_null(canon("int x; /*/\n"));
    /* a backslash before a comment that ends the line: trimmed, a splice */
    assert_null(canon("int x\\ /* c */\ny;\n"));
    /* a lone carriage return is a line break to clang */
    assert_null(canon("int a;\r\rint b;\r\n"));
    same("int a;\r\nint b;\r\n", "int a;\nint b;\n");
    /* backslash, form feed, line break: a splice to clang, and here */
    expect("#define A 1 \\\f\n + 2 // c\n", "#define A 1 \\\n + 2");
    assert_null(canon("/* a *\\\n/ int x;\n"));
    assert_null(canon("?\?/\n"));
    assert_null(canon("char *r = R\"(x)\";\n"));
    assert_null(canon("#inc\\\nlude <a//b.h>\n"));
    assert_null(canon("char *r2 = u8R\"x(a\"//b)x\";\n"));
    /* R" ending a word is no raw string */
    expect("char *k = \"INTEGER\"; /* \"OUTER\" */\n", "char *k = \"INTEGER\";");
    assert_null(canon("#include <a\\\n//b.h>\n"));
    /* a comment over several lines is one blank without a line break:
     * its delimiters stay, so the directive goes on past it, and a '#'
     * after it still starts none */
    expect("/* a\n */ #define X 1\n", "/*\n */ #define X 1");
    expect("#define X 1 /* a\n b */ + 2\n", "#define X 1 /*\n   */ + 2");
    differ("#define X 1 /* a\n b */ + 2\n", "#define X 1\n         + 2\n");
    expect("#include /* a\n */ <c/*d>\n", "#include /*\n */ <c/*d>");
}

/* A directive's '#' is the first token of its logical line: blanks, block
 * comments (over several lines too) and line splices may come before it,
 * and its header name is kept (it holds no comment). The fuzz target found
 * the first input: the '#' after the comment was read as no directive, so
 * the spliced name went through; blanked, the comment left blanks and the
 * second pass saw a split directive name (no fixed point). */
static void test_directive_after_comment_or_splice(void **state)
{
    (void)state;
    /* tests/fuzz/corpus/canon/regress-cca1376e9001: NULs and 0xFF in the
     * comment, then `#inc`, a splice, `aeck` */
    static const char fuzz[] = "/* litT\xff\xde\xbb" "cen\xf9\xf9\0\0\0* head*/#inc\\\naeck";
    char out[sizeof fuzz];
    assert_int_equal(sizeof fuzz - 1, 36);
    assert_true(canon_source(fuzz, sizeof fuzz - 1, out) == (size_t)-1);
    assert_null(canon("/* litT head*/#inc\\\naeck"));
    assert_null(canon("                      #inc\\\naeck")); /* the old first pass */

    expect("/**/#include <a//b.h>\n", "    #include <a//b.h>");
    differ("/**/#include <a//b.h>\n", "/**/#include <a//c.h>\n");
    expect("/* a\n */ #include <a//b.h> // c\n", "/*\n */ #include <a//b.h>");
    differ("/* a\n */ #include <a//b.h>\n", "/* a\n */ #include <a//c.h>\n");
    expect(" /* stackcheck */ # include <a/*b.h>\n", " /* stackcheck */ # include <a/*b.h>");
    expect("\\\n#include <a//b.h>\n", "\\\n#include <a//b.h>");
    expect("#\\\ninclude <a//b.h>\n", "#\\\ninclude <a//b.h>");
    differ("#\\\ninclude <a//b.h>\n", "#\\\ninclude <a//c.h>\n");
    /* a splice in the name or in `%:` decides it: no canonical form */
    assert_null(canon("/**/#inc\\\nlude <a//b.h>\n"));
    assert_null(canon("%\\\n:include <a//b.h>\n"));
    expect("%\\\n= 1; // c\n", "%\\\n= 1;");
    /* after a token, a '#' past a comment over several lines starts none */
    expect("int x; /*\n*/ #include <a//b.h>\n", "int x; /*\n*/ #include <a");
}

/* Whatever the input, the form is no longer than it, and canonical forms
 * are fixed points (a canonical form's canonical form is itself). */
static void test_fixed_point(void **state)
{
    (void)state;
    static const char *inputs[] = {
        "int a; // x\n", "/* */\n\n", "\"unterminated\n", "'x\n/* open */", "#include <x\n",
        "a /* x\n y */ b\n", "1.e+5 .5 0x1p-3 1'2'3\n", "#\n#define A /**/ 1\n", "\\\n",
        "/**/#include <a//b.h>\n", "/* a\n */ \\\n # include <a//b.h>\n",
    };
    for (size_t i = 0; i < sizeof inputs / sizeof *inputs; i++) {
        char *once = canon(inputs[i]);
        assert_non_null(once);
        char *twice = canon(once);
        assert_non_null(twice);
        assert_string_equal(once, twice);
        free(once);
        free(twice);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_comments_blanked_in_place),
        cmocka_unit_test(test_what_moves_a_token_differs),
        cmocka_unit_test(test_literals_and_header_names_kept),
        cmocka_unit_test(test_stackcheck_comments_kept),
        cmocka_unit_test(test_splices),
        cmocka_unit_test(test_no_canonical_form),
        cmocka_unit_test(test_directive_after_comment_or_splice),
        cmocka_unit_test(test_fixed_point),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
