// Bounded string length for capi/main.go: never reads beyond max bytes, so an
// oversized request is refused without being scanned in full.
#include <string.h>

#if defined(__GNUC__) && !defined(_WIN32)
__attribute__((visibility("hidden")))
#endif
size_t ck_bounded_len(const char *s, size_t max) {
#if defined(_WIN32)
	/* strnlen is missing from older msvcrt.dll (Windows 7): plain loop. */
	size_t n = 0;
	while (n < max && s[n] != '\0') n++;
	return n;
#else
	return strnlen(s, max);
#endif
}
