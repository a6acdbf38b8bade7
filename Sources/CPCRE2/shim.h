#ifndef TONCHI_CPCRE2_SHIM_H
#define TONCHI_CPCRE2_SHIM_H
// Swift only sees the 8-bit API; the width must be fixed before the header is read.
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#endif
