// The libpq functions strata calls, each forwarding to libpq as opened by LoadLibpq. Their
// declarations come from libpq-fe.h, so a signature that drifted from the library's would not
// compile. Adding a libpq call elsewhere means adding its forwarder here (the link fails
// otherwise: the binary does not link libpq).
#include "adapters/postgres/libpq_loader.h"

#include <libpq-fe.h>

#include "adapters/common/shared_library.h"

namespace strata::postgres {

const common::SharedLibrary kLibpq{"libpq.so.5", "PostgreSQL", "libpq5"};

Status LoadLibpq() { return common::LoadSharedLibrary(kLibpq); }

}  // namespace strata::postgres

#define STRATA_PQ_FORWARD(ret, name, params, args) \
  STRATA_FORWARD_TO_LIBRARY(strata::postgres::kLibpq, ret, name, params, args)

// Connections.
STRATA_PQ_FORWARD(PGconn*, PQconnectdbParams,
                  (const char* const* keywords, const char* const* values, int expand_dbname),
                  (keywords, values, expand_dbname))
STRATA_PQ_FORWARD(void, PQfinish, (PGconn * conn), (conn))
STRATA_PQ_FORWARD(void, PQreset, (PGconn * conn), (conn))
STRATA_PQ_FORWARD(ConnStatusType, PQstatus, (const PGconn* conn), (conn))
STRATA_PQ_FORWARD(PGTransactionStatusType, PQtransactionStatus, (const PGconn* conn), (conn))
STRATA_PQ_FORWARD(char*, PQerrorMessage, (const PGconn* conn), (conn))
STRATA_PQ_FORWARD(char*, PQhost, (const PGconn* conn), (conn))
STRATA_PQ_FORWARD(char*, PQport, (const PGconn* conn), (conn))
STRATA_PQ_FORWARD(char*, PQdb, (const PGconn* conn), (conn))
STRATA_PQ_FORWARD(int, PQserverVersion, (const PGconn* conn), (conn))
STRATA_PQ_FORWARD(const char*, PQparameterStatus, (const PGconn* conn, const char* paramName),
                  (conn, paramName))
STRATA_PQ_FORWARD(PQnoticeReceiver, PQsetNoticeReceiver,
                  (PGconn * conn, PQnoticeReceiver proc, void* arg), (conn, proc, arg))
STRATA_PQ_FORWARD(PQnoticeProcessor, PQsetNoticeProcessor,
                  (PGconn * conn, PQnoticeProcessor proc, void* arg), (conn, proc, arg))

// Connection strings.
STRATA_PQ_FORWARD(PQconninfoOption*, PQconninfoParse, (const char* conninfo, char** errmsg),
                  (conninfo, errmsg))
STRATA_PQ_FORWARD(PQconninfoOption*, PQconndefaults, (void), ())
STRATA_PQ_FORWARD(void, PQconninfoFree, (PQconninfoOption * connOptions), (connOptions))
STRATA_PQ_FORWARD(void, PQfreemem, (void* ptr), (ptr))

// Queries.
STRATA_PQ_FORWARD(PGresult*, PQexec, (PGconn * conn, const char* query), (conn, query))
STRATA_PQ_FORWARD(PGresult*, PQexecParams,
                  (PGconn * conn, const char* command, int nParams, const Oid* paramTypes,
                   const char* const* paramValues, const int* paramLengths,
                   const int* paramFormats, int resultFormat),
                  (conn, command, nParams, paramTypes, paramValues, paramLengths, paramFormats,
                   resultFormat))
STRATA_PQ_FORWARD(PGresult*, PQprepare,
                  (PGconn * conn, const char* stmtName, const char* query, int nParams,
                   const Oid* paramTypes),
                  (conn, stmtName, query, nParams, paramTypes))
STRATA_PQ_FORWARD(PGresult*, PQexecPrepared,
                  (PGconn * conn, const char* stmtName, int nParams,
                   const char* const* paramValues, const int* paramLengths,
                   const int* paramFormats, int resultFormat),
                  (conn, stmtName, nParams, paramValues, paramLengths, paramFormats,
                   resultFormat))
STRATA_PQ_FORWARD(int, PQsendQuery, (PGconn * conn, const char* query), (conn, query))
STRATA_PQ_FORWARD(PGresult*, PQgetResult, (PGconn * conn), (conn))
STRATA_PQ_FORWARD(int, PQputCopyEnd, (PGconn * conn, const char* errormsg), (conn, errormsg))
STRATA_PQ_FORWARD(int, PQgetCopyData, (PGconn * conn, char** buffer, int async),
                  (conn, buffer, async))

// Results.
STRATA_PQ_FORWARD(ExecStatusType, PQresultStatus, (const PGresult* res), (res))
STRATA_PQ_FORWARD(char*, PQresultErrorField, (const PGresult* res, int fieldcode),
                  (res, fieldcode))
STRATA_PQ_FORWARD(void, PQclear, (PGresult * res), (res))
STRATA_PQ_FORWARD(int, PQntuples, (const PGresult* res), (res))
STRATA_PQ_FORWARD(int, PQnfields, (const PGresult* res), (res))
STRATA_PQ_FORWARD(char*, PQfname, (const PGresult* res, int field_num), (res, field_num))
STRATA_PQ_FORWARD(char*, PQgetvalue, (const PGresult* res, int tup_num, int field_num),
                  (res, tup_num, field_num))
STRATA_PQ_FORWARD(int, PQgetlength, (const PGresult* res, int tup_num, int field_num),
                  (res, tup_num, field_num))
STRATA_PQ_FORWARD(int, PQgetisnull, (const PGresult* res, int tup_num, int field_num),
                  (res, tup_num, field_num))
