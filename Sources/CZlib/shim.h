// zlib for TonchiIngest: gzip members of .warc.gz files and gzip/deflate HTTP bodies.
#include <zlib.h>
