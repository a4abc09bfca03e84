/* The bundled example: the two programs of the article that started
 * stackcheck, as the article wrote them, joined under one main.
 * Run: stackcheck examples/seed.c   (exit 1: recursive_printer never stops) */
#include <stdio.h>

/* Meant to print n, n-1, ..., 1. The guard is upside down: for n >= 1 it
 * prints nothing, and for n < 1 it recurses with n - 1, which stays below 1
 * forever: the recursion never ends and the stack overflows. Compilers say
 * nothing; stackcheck reports non-convergent-recursion. */
void recursive_printer(int n)
{
    if (n < 1) {
        printf("%d\n", n);
        recursive_printer(n - 1);
    }
}

/* Meant to compute n!. The recursive call stands after `return 1;` inside
 * the base-case branch, so it never runs: the function is not recursive
 * (and returns a wrong result), and stackcheck counts no recursion. */
int factorial(int n)
{
    if (n <= 1) {
        return 1;
        factorial(n - 1);
    }
    return n;
}

int main(void)
{
    recursive_printer(0);
    printf("%d\n", factorial(5));
    return 0;
}
