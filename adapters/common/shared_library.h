// Client libraries loaded when a backend first needs them, not when strata starts.
//
// libcurl and libpq bring in some thirty further shared libraries (TLS, Kerberos, LDAP, HTTP/2
// ...). Linking them into the binary made every command, even `show` of one table from the
// local log, pay about 4 ms to load and relocate them. Instead, adapters/aws/curl_loader.cc and
// adapters/postgres/libpq_loader.cc define the functions strata calls, each forwarding to the
// library opened here on first use. Thread-safe.
#pragma once

#include <string>

#include "engine/status.h"

namespace strata::common {

struct SharedLibrary {
  const char* soname;   // "libpq.so.5"
  const char* purpose;  // "PostgreSQL", for the message when it is missing
  const char* package;  // the Debian package that installs it, for the same message
};

// Opens `library` once per process (later calls return the first outcome). FailedPrecondition
// naming the library, what needs it and the package to install when it cannot be opened.
Status LoadSharedLibrary(const SharedLibrary& library);

// The address of `symbol` in `library`, loading it first. A library that cannot be loaded, or
// lacks the symbol, ends the process with the message above: callers reach this only after
// LoadSharedLibrary succeeded, so this is the safety net for a path that forgot to.
void* SharedLibrarySymbol(const SharedLibrary& library, const char* symbol);

// The address of `symbol` in `library` as a pointer of type F.
template <typename F>
F SharedLibraryFunction(const SharedLibrary& library, const char* symbol) {
  return reinterpret_cast<F>(SharedLibrarySymbol(library, symbol));
}

}  // namespace strata::common

// Defines the C function `name`, declared by the library's own header (so a signature that
// drifted from it does not compile), as a call of the same function in `library`. The target is
// looked up once; function-local statics are initialised thread-safely.
#define STRATA_FORWARD_TO_LIBRARY(library, ret, name, params, args)                             \
  extern "C" ret name params {                                                                 \
    static const auto real =                                                                   \
        ::strata::common::SharedLibraryFunction<decltype(&::name)>(library, #name);            \
    return real args;                                                                          \
  }
