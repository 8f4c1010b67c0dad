#ifndef ACCSIM_CZLIB_SHIM_H
#define ACCSIM_CZLIB_SHIM_H
#include <zlib.h>
#endif
