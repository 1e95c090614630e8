// The curl functions strata calls, each forwarding to libcurl as opened by LoadLibcurl. Their
// declarations come from curl.h, so a signature that drifted from the library's would not
// compile. Adding a curl call elsewhere means adding its forwarder here (the link fails
// otherwise: the binary does not link libcurl).
#define CURL_DISABLE_TYPECHECK  // curl_easy_setopt is defined here, not wrapped in a macro
#include "adapters/aws/curl_loader.h"

#include <curl/curl.h>

#include <cstdarg>

#include "adapters/common/shared_library.h"

namespace strata::aws {

const common::SharedLibrary kLibcurl{"libcurl.so.4", "Talking to AWS", "libcurl4"};

Status LoadLibcurl() { return common::LoadSharedLibrary(kLibcurl); }

}  // namespace strata::aws

#define STRATA_CURL_FORWARD(ret, name, params, args) \
  STRATA_FORWARD_TO_LIBRARY(strata::aws::kLibcurl, ret, name, params, args)

STRATA_CURL_FORWARD(CURLcode, curl_global_init, (long flags), (flags))
STRATA_CURL_FORWARD(CURL*, curl_easy_init, (void), ())
STRATA_CURL_FORWARD(void, curl_easy_cleanup, (CURL* curl), (curl))
STRATA_CURL_FORWARD(void, curl_easy_reset, (CURL* curl), (curl))
STRATA_CURL_FORWARD(CURLcode, curl_easy_perform, (CURL* curl), (curl))
STRATA_CURL_FORWARD(const char*, curl_easy_strerror, (CURLcode code), (code))
STRATA_CURL_FORWARD(curl_slist*, curl_slist_append, (curl_slist* list, const char* string),
                    (list, string))
STRATA_CURL_FORWARD(void, curl_slist_free_all, (curl_slist* list), (list))

// The variadic two take exactly one more argument, whose type curl encodes in the option's
// number range (curl.h: CURLOPTTYPE_*); it is read as that type and passed on as that type.
extern "C" CURLcode curl_easy_setopt(CURL* curl, CURLoption option, ...) {
  static const auto real = strata::common::SharedLibraryFunction<decltype(&::curl_easy_setopt)>(
      strata::aws::kLibcurl, "curl_easy_setopt");
  va_list ap;
  va_start(ap, option);
  CURLcode code;
  if (option < CURLOPTTYPE_OBJECTPOINT) {
    code = real(curl, option, va_arg(ap, long));
  } else if (option < CURLOPTTYPE_FUNCTIONPOINT) {
    code = real(curl, option, va_arg(ap, void*));
  } else if (option < CURLOPTTYPE_OFF_T) {
    code = real(curl, option, va_arg(ap, void (*)()));
  } else if (option < CURLOPTTYPE_BLOB) {
    code = real(curl, option, va_arg(ap, curl_off_t));
  } else {
    code = real(curl, option, va_arg(ap, void*));
  }
  va_end(ap);
  return code;
}

extern "C" CURLcode curl_easy_getinfo(CURL* curl, CURLINFO info, ...) {
  static const auto real = strata::common::SharedLibraryFunction<decltype(&::curl_easy_getinfo)>(
      strata::aws::kLibcurl, "curl_easy_getinfo");
  va_list ap;
  va_start(ap, info);
  void* out = va_arg(ap, void*);  // every CURLINFO_* takes a pointer to its result
  va_end(ap);
  return real(curl, info, out);
}
