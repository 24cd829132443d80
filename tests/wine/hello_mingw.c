/* Toolchain smoke test: a trivial mingw program must run under Wine. */
#include <stdio.h>
int main(void) { puts("hello from mingw"); return 0; }
