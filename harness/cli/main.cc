#include "harness/error.h"
int main() { return 0; }
