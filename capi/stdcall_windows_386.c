// stdcall twins of the exports for 32-bit Windows callers that can only use
// stdcall (VB6 Declare, PowerBuilder, FoxPro DECLARE). They forward to the
// cdecl exports of capi/exports.c, which keep the caller's floating-point
// environment. The DLL exports them undecorated ("ck_invoke_std", not
// "_ck_invoke_std@8"): the .def file mk/windows.mk links with names them so,
// and `make test-windows` checks the export table.
#include "couponkit.h"

__declspec(dllexport) const char *__stdcall ck_version_std(void) {
	return ck_version();
}

__declspec(dllexport) char *__stdcall ck_invoke_std(const char *method, const char *request_json) {
	return ck_invoke(method, request_json);
}

__declspec(dllexport) char *__stdcall ck_invoke_gbk_std(const char *method, const char *request_json) {
	return ck_invoke_gbk(method, request_json);
}

__declspec(dllexport) void __stdcall ck_free_std(char *p) {
	ck_free(p);
}
