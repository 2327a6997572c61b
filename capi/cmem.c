// C helpers for capi/main.go: a bounded strlen and a copy into malloc'd
// memory (released by ck_free in capi/exports.c). Not exported: the library
// exports exactly the header's functions (an ELF version script, a .def file
// on Windows), and on ELF they are hidden as well.
#include <stdlib.h>
#include <string.h>

#if defined(__GNUC__) && !defined(_WIN32)
#define CK_HIDDEN __attribute__((visibility("hidden")))
#else
#define CK_HIDDEN
#endif

// ck_bounded_len is strlen that looks at no more than max bytes, so an
// oversized request is refused without being scanned in full.
CK_HIDDEN size_t ck_bounded_len(const char *s, size_t max) {
#if defined(_WIN32)
	/* strnlen is missing from older msvcrt.dll (Windows 7): plain loop. */
	size_t n = 0;
	while (n < max && s[n] != '\0') n++;
	return n;
#else
	return strnlen(s, max);
#endif
}

// ck_copy_out returns a malloc'd, NUL-terminated copy of the n bytes at src,
// or NULL when out of memory (cgo's own C.malloc would abort instead).
CK_HIDDEN char *ck_copy_out(const char *src, size_t n) {
	char *p = malloc(n + 1);
	if (p == NULL) return NULL;
	if (n > 0) memcpy(p, src, n);
	p[n] = '\0';
	return p;
}
