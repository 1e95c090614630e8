"""A fault-injecting HTTP proxy in front of moto (Python standard library only).

Usage: fault_proxy.py --port-file FILE --upstream URL [--faults LIST] [--dynamodb]
                      [--delay SECONDS] [--no-tagging] [--glue] [--page-size N]
                      [--parent-pid PID] [--serialize] [--s3-ignore-if-none-match]

Listens on 127.0.0.1 on a port the OS chooses and writes that port to FILE once it listens.
Requests are forwarded to URL (http://host:port) with their headers and bodies untouched, so a
SigV4 signature made for this proxy's address (or for the absolute URL a client sends when it
uses this as its HTTP proxy) still checks out upstream: the proxy never signs anything. With
--parent-pid it exits when that process is gone, so a test that dies leaves no proxy behind.

--serialize forwards one request at a time. moto checks a conditional write and then makes it
with no lock between the two, so two requests racing for the same key can both win (measured:
a few double winners per thousand contended keys). Real S3 and DynamoDB decide such races
atomically; one request in flight at a time makes moto do the same. The shared-log race tests
run through it; one test runs without it to show the problem it hides.

Scripted faults (--faults, or POST /__fault/script): the next requests are answered with the
listed faults, in order, before anything else happens to them:
  503, 500, 502, 504   that HTTP status with an empty body
  throttle             400 with a DynamoDB-style ThrottlingException JSON body
  drop                 close the connection without answering
  stall                wait 5 s, then close the connection without answering (client timeouts)
  lose-reply           forward the request, let the server apply it, then close the connection
                       without answering (a write whose reply was lost: ambiguous success)
  slowdown             503 with S3's XML SlowDown error (S3's throttling answer)
  conditional-conflict 409 with S3's XML ConditionalRequestConflict error (a conditional write
                       raced another one to the same key; nothing was written)
A fault written FAULT@METHOD (lose-reply@PUT) waits for the next request with that method;
requests with other methods pass it by untouched.

--s3-ignore-if-none-match plays an S3-compatible store that accepts `If-None-Match: *` and ignores
it: a PUT carrying the header that the server refuses with 412 is answered 200 instead (the
request is still forwarded unchanged, so its signature is checked; the object stays as it was).

DynamoDB mode (--dynamodb) plays what the real service does and moto does not (moto reports
every table and index ACTIVE at once and accepts several index changes in one call):
  - DescribeTable shows transient statuses for --delay seconds (default 3) after a change:
    the table CREATING after CreateTable (its indexes CREATING with it); UPDATING after an
    UpdateTable that changes the table itself; a new global index CREATING (Backfilling false
    for the first half of the delay, true for the second) while the table stays ACTIVE; a
    deleted global index still listed as DELETING; a deleted table DELETING, and only then
    ResourceNotFoundException (moto's answer, forwarded). The answers of CreateTable,
    UpdateTable and DeleteTable carry the status the change starts in.
  - It refuses what the service refuses, with the service's error shape (HTTP 400, JSON body
    with "__type", X-Amzn-ErrorType header):
      LimitExceededException "Subscriber limit exceeded: Only 1 online index can be created
        or deleted simultaneously per table" for two index creates/deletes in one UpdateTable,
        or one while another index of the table is CREATING or DELETING;
      ResourceInUseException "Attempt to change a resource which is still in use: Table is
        being created|updated|deleted: NAME" for UpdateTable, UpdateTimeToLive or DeleteTable
        on a table in that status; "Table already exists: NAME" for CreateTable of a table
        still being deleted;
      ResourceNotFoundException "Requested resource not found" for item reads and writes on a
        table that is being created;
      ValidationException "Table already has an enabled stream: TableName: NAME" for enabling a
        stream on a table that has one, and "Table does not have a stream to disable:
        TableName: NAME" for disabling one on a table without (the exception type is AWS's
        documented one; this second wording is ours).
    Rules that need to know a table's settings use the last description of it the proxy
    forwarded; a table it has never seen is passed through.
  - Descriptions list AttributeDefinitions as the service keeps them: one for each attribute
    that a key of the table or of one of its indexes uses. moto replaces the table's list with
    the one of each UpdateTable that carries one (losing the table's own key attributes when an
    index is added), and keeps definitions no key uses any more.
  - Descriptions show the table class (TableClassSummary) the table was created or last updated
    with, as the service does; moto ignores TableClass in CreateTable and UpdateTable and never
    reports one. The same holds for the maximum on-demand throughput (OnDemandThroughput, of
    the table and of each global index) that CreateTable and UpdateTable asked for.
  - A resource policy given to CreateTable (which moto drops) is kept by the proxy and answered
    by GetResourcePolicy, until PutResourcePolicy or DeleteResourcePolicy replaces or removes it.
  - Errors come in the service's shape: moto's time-to-live calls answer a missing table with
    "__type": "ResourceNotFound", which becomes "...#ResourceNotFoundException".
  - Global table replicas (version 2019.11.21), which moto ignores (UpdateTable.ReplicaUpdates is
    answered 200 and nothing changes; the request is still forwarded unchanged, so moto checks
    its signature): the proxy keeps each table's replicas from the ReplicaUpdates it forwarded
    and lists them in DescribeTable as Replicas[] (RegionName, ReplicaStatus, the overrides asked
    for, ReplicaTableClassSummary) with GlobalTableVersion "2019.11.21". A replica is CREATING,
    UPDATING or DELETING for --delay seconds after its Create, Update or Delete (the table
    UPDATING meanwhile, so further UpdateTable calls get ResourceInUseException), then ACTIVE or
    gone. It refuses with ValidationException what the service refuses: the local region (the
    one the request is signed for) in ReplicaUpdates, or a Create for a region that already has
    a replica, with the service's "Cannot add, delete, or update the local region through
    ReplicaUpdates..." text; an Update or Delete of a region without a replica ("Replica
    specified in the Replica Update or Replica Delete action of the request was not found.");
    a provisioned table ("Table write capacity should either be Pay-Per-Request or
    AutoScaled."); and, in words of our own where the service's are not documented, more than
    one replica Create or Delete in one call, a replica added to a table whose stream is not
    NEW_AND_OLD_IMAGES, a stream change while replicas exist, and DeleteTable on a table that
    still has replicas (the service would delete only this region's copy; strata removes the
    replicas first). POST /__fault/dynamodb {"failing_replica_region": R} makes a replica
    created in R end CREATION_FAILED with a ReplicaStatusDescription.
  - --no-tagging answers ListTagsOfResource, TagResource and UntagResource with
    UnknownOperationException, as a DynamoDB emulator without tagging does.
  With --delay 0 the statuses are moto's (ACTIVE at once) and only the refusals remain.
  - Contributor insights and Kinesis streaming destinations (moto answers every one of these
    calls with an HTTP 500 HTML page) are answered by the proxy itself, as the service
    documents them, from state it keeps per table (class Streaming):
      UpdateContributorInsights / DescribeContributorInsights, for the table or one global
        index (IndexName): ENABLE (with ContributorInsightsMode, default
        ACCESSED_AND_THROTTLED_KEYS) shows ENABLING for --delay seconds, then ENABLED; DISABLE
        shows DISABLING, then DISABLED. With "insights_fail" set (POST /__fault/dynamodb) an
        ENABLE ends FAILED with a FailureException carrying that text.
      EnableKinesisStreamingDestination (ENABLING, then ACTIVE; ENABLE_FAILED with
        "kinesis_fail" as DestinationStatusDescription when that is set),
        UpdateKinesisStreamingDestination (UPDATING, then ACTIVE with the new
        ApproximateCreationDateTimePrecision), DisableKinesisStreamingDestination (DISABLING,
        then DISABLED, still listed) and DescribeKinesisStreamingDestination.
    Refusals: ResourceNotFoundException for a table the proxy has not seen described by moto
    (or that was deleted since) and for an unknown index; ValidationException for a StreamArn
    that is not a Kinesis stream ARN, for enabling a stream the table already streams to
    (ENABLING or ACTIVE) and for disabling or updating one it does not stream to;
    ResourceInUseException for a change of insights or of a stream still in transition.

Glue mode (--glue) plays what Glue does and moto does not:
  - Listing pages: GetDatabases, GetTables and GetPartitions answer at most --page-size items
    (default 100, Glue's largest page; a smaller MaxResults in the request wins) with a
    NextToken for the rest, which a later request hands back. moto answers everything at once
    and ignores both; the proxy slices moto's whole answer, so every page is moto's data.
  - Optimistic locking: UpdateTable with a VersionId other than the table's current one is
    refused with ConcurrentModificationException, as Glue does (moto ignores VersionId). The
    proxy knows a table's version from the GetTable, GetTables and CreateTable answers it
    forwarded and counts each UpdateTable it forwarded, so the changes a test makes behind
    strata's back must go through the proxy too. A table it never saw is passed through.
  - Holds, to make a race happen on purpose: POST /__fault/glue {"hold": {"operation": OP,
    "seconds": S}} makes the next OP request wait S seconds before it is checked and
    forwarded; GET /__fault/glue says how many requests are being held now ("holding") and
    the versions the proxy knows.

Per-operation faults (for the shared-log stores; POST /__fault/operations): faults for the next
requests of one operation, the operation read from X-Amz-Target ("DynamoDB_20120810.PutItem" ->
"PutItem"), so a test can hit the one write it means whatever reads come before it. Besides the
faults above:
  fake-ok              answer 200 "{}" without forwarding (a write the server claims to have made)
  validation-return-values  400 ValidationException refusing ReturnValuesOnConditionCheckFailure,
                       as a server older than that parameter does
"ignore_conditions": true answers every PutItem that carries a ConditionExpression with fake-ok:
a server that ignores conditions (nothing is written, so two "creates" of one key both succeed).

Control endpoints, never forwarded:
  GET  /__fault/stats     {"requests": N, "connections": N, "faults": N, "described": {NAME: N},
                          "max_in_flight": N} as JSON; "described" counts DescribeTable calls per
                          table (DynamoDB mode), so a test can tell which tables a command read;
                          "max_in_flight" is the most requests ever forwarded upstream at once
                          (1 with --serialize)
  POST /__fault/script    replace the remaining faults with the body's comma-separated list
  GET  /__fault/dynamodb  {"enabled", "delay", "no_tagging", "tables": {NAME: what is in progress},
                          "refuse": [...], "streaming": {NAME: {"insights": {INDEX or "":
                          STATUS}, "kinesis": {ARN: STATUS}}}, "replicas": {NAME: {REGION:
                          status}}}
  POST /__fault/dynamodb  JSON {"enabled": bool, "delay": seconds, "no_tagging": bool,
                          "describe_extra": {TABLE: {FIELD: VALUE}}, "refuse": [{"operation":
                          OP, "table": NAME, "type": ERROR, "message": TEXT, "times": N}],
                          "insights_fail": text, "kinesis_fail": text (empty: succeed),
                          "failing_replica_region": REGION}, any of them; the answer is the
                          new state as for GET. A refusal answers the next N (default 1) OP
                          requests for that table with that error, in the service's shape,
                          before anything else is checked
  GET  /__fault/operations  {"faults": {OP: [FAULT, ...]}, "ignore_conditions": bool,
                          "served": {OP: N}}: what is left and how many faults each operation got
  POST /__fault/operations  JSON {"faults": {OP: [FAULT, ...]}, "ignore_conditions": bool}, any
                          of them (the faults replace those left for the operations named)
  GET  /__fault/glue      {"enabled", "page_size", "holding", "held", "versions": {DB.TABLE: V}}
  POST /__fault/glue      JSON {"page_size": N, "hold": {"operation": OP, "seconds": S}}
Keeps connections alive (HTTP/1.1) so clients can reuse them; counts accepted connections.
"""
import argparse
import http.client
import http.server
import json
import socket
import sys
import threading
import time
import urllib.parse
import zlib

sys.dont_write_bytecode = True  # keep the source tree free of __pycache__
from serving import serve  # noqa: E402 (after the line above)

LOCK = threading.Lock()
SERIALIZE = None  # a Lock with --serialize: one request forwarded at a time
STATE = {"faults": [], "requests": 0, "connections": 0, "served": 0, "described": {},
         "in_flight": 0, "max_in_flight": 0}
IGNORE_IF_NONE_MATCH = False  # --s3-ignore-if-none-match
S3_SLOWDOWN = (b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SlowDown</Code>'
               b'<Message>Please reduce your request rate.</Message></Error>')
S3_CONDITIONAL_CONFLICT = (b'<?xml version="1.0" encoding="UTF-8"?>\n<Error>'
                           b'<Code>ConditionalRequestConflict</Code><Message>A conflicting '
                           b'conditional operation is currently in progress against this '
                           b'resource. Please try again.</Message></Error>')
UPSTREAM = ("127.0.0.1", 0)

ERROR_PREFIX = "com.amazonaws.dynamodb.v20120810#"
THROTTLE = json.dumps({"__type": ERROR_PREFIX + "ThrottlingException",
                       "message": "Rate exceeded"}).encode()
ONE_INDEX = ("Subscriber limit exceeded: Only 1 online index can be created or deleted "
             "simultaneously per table")
ITEM_OPERATIONS = {"GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query", "Scan"}
TAG_OPERATIONS = {"ListTagsOfResource", "TagResource", "UntagResource"}
BEING = {"CREATING": "created", "UPDATING": "updated", "DELETING": "deleted"}


# ---- per-operation faults, for the shared-log stores ------------------------------------------


class OperationFaults:
    """Faults for the next requests of named operations (see the header); guarded by LOCK."""

    def __init__(self):
        self.faults = {}
        self.ignore_conditions = False
        self.served = {}

    def control(self, update):
        for op, faults in (update.get("faults") or {}).items():
            self.faults[op] = [str(f) for f in faults]
        if "ignore_conditions" in update:
            self.ignore_conditions = bool(update["ignore_conditions"])
        return {"faults": self.faults, "ignore_conditions": self.ignore_conditions,
                "served": self.served}

    def take(self, target, body):
        """The fault for this request, or None."""
        op = (target or "").split(".", 1)[1] if "." in (target or "") else None
        if op is None:
            return None
        fault = None
        if self.faults.get(op):
            fault = self.faults[op].pop(0)
        elif self.ignore_conditions and op == "PutItem" and b'"ConditionExpression"' in body:
            fault = "fake-ok"
        if fault:
            self.served[op] = self.served.get(op, 0) + 1
        return fault


OPERATION_FAULTS = OperationFaults()


class Refusal(Exception):
    def __init__(self, error_type, message):
        super().__init__(message)
        self.error_type = error_type
        self.message = message


def table_name(value):
    """A TableName or table ARN as the bare table name."""
    if not isinstance(value, str):
        return None
    if value.startswith("arn:") and ":table/" in value:
        return value.split(":table/", 1)[1].split("/", 1)[0]
    return value


# ---- contributor insights and Kinesis streaming destinations (moto has neither) ---------------

STREAMING_OPERATIONS = {"UpdateContributorInsights", "DescribeContributorInsights",
                        "EnableKinesisStreamingDestination", "DisableKinesisStreamingDestination",
                        "UpdateKinesisStreamingDestination", "DescribeKinesisStreamingDestination"}


def is_kinesis_stream_arn(value):
    parts = value.split(":", 5) if isinstance(value, str) else []
    return (len(parts) == 6 and parts[0] == "arn" and parts[2] == "kinesis" and parts[3]
            and len(parts[4]) == 12 and parts[4].isdigit() and parts[5].startswith("stream/")
            and len(parts[5]) > len("stream/") and "/" not in parts[5][len("stream/"):])


class Streaming:
    """Contributor insights and Kinesis destinations per table, answered by the proxy itself.
    All methods run under LOCK. `delay` is the DynamoDB mode's; a transition shows its passing
    status until its deadline."""

    def __init__(self):
        self.insights_fail = ""
        self.kinesis_fail = ""
        # name -> {"insights": {index or "": {"status", "mode", "passing", "until"}},
        #          "kinesis": {arn: {"status", "precision", "passing", "until", "description"}}}
        self.tables = {}

    def control(self, update):
        if "insights_fail" in update:
            self.insights_fail = str(update["insights_fail"] or "")
        if "kinesis_fail" in update:
            self.kinesis_fail = str(update["kinesis_fail"] or "")

    def forget(self, name):
        self.tables.pop(name, None)

    def describe_state(self, now):
        out = {}
        for name, t in self.tables.items():
            out[name] = {"insights": {i: self._shown(r, now) for i, r in t["insights"].items()},
                         "kinesis": {a: self._shown(r, now) for a, r in t["kinesis"].items()}}
        return out

    @staticmethod
    def _shown(record, now):
        return record["passing"] if record["until"] > now else record["status"]

    def answer(self, operation, request, described, delay, now):
        """(200, body) for one of STREAMING_OPERATIONS; raises Refusal as the service would.
        `described` is the last description of the table moto answered (None: unknown)."""
        name = table_name(request.get("TableName"))
        if not name or described is None:
            raise Refusal("ResourceNotFoundException",
                          f"Requested resource not found: Table: {name} not found")
        t = self.tables.setdefault(name, {"insights": {}, "kinesis": {}})
        if "ContributorInsights" in operation:
            return self._insights(operation, request, name, described, t, delay, now)
        return self._kinesis(operation, request, name, t, delay, now)

    def _insights(self, operation, request, name, described, t, delay, now):
        index = request.get("IndexName") or ""
        if index and index not in [g.get("IndexName") for g in
                                   described.get("GlobalSecondaryIndexes") or []]:
            raise Refusal("ResourceNotFoundException",
                          f"Requested resource not found: Index: {index} not found")
        record = t["insights"].setdefault(index, {"status": "DISABLED", "mode": None,
                                                  "passing": None, "until": 0.0})
        if operation == "UpdateContributorInsights":
            action = request.get("ContributorInsightsAction")
            if action not in ("ENABLE", "DISABLE"):
                raise Refusal("ValidationException",
                              "ContributorInsightsAction must be ENABLE or DISABLE")
            if record["until"] > now:
                raise Refusal("ResourceInUseException",
                              f"Contributor Insights is being updated for table {name}")
            if action == "ENABLE":
                record["mode"] = request.get("ContributorInsightsMode") or \
                    "ACCESSED_AND_THROTTLED_KEYS"
                record["status"] = "FAILED" if self.insights_fail else "ENABLED"
                record["passing"] = "ENABLING"
            else:
                record["status"], record["passing"] = "DISABLED", "DISABLING"
            record["until"] = now + delay
        status = self._shown(record, now)
        body = {"TableName": name, "ContributorInsightsStatus": status}
        if index:
            body["IndexName"] = index
        if record["mode"] and status not in ("DISABLED", "DISABLING"):
            body["ContributorInsightsMode"] = record["mode"]
        if status == "FAILED":
            body["FailureException"] = {"ExceptionName": "LimitExceededException",
                                        "ExceptionDescription": self.insights_fail}
        return 200, body

    def _kinesis(self, operation, request, name, t, delay, now):
        if operation == "DescribeKinesisStreamingDestination":
            listed = []
            for arn, record in sorted(t["kinesis"].items()):
                entry = {"StreamArn": arn, "DestinationStatus": self._shown(record, now),
                         "ApproximateCreationDateTimePrecision": record["precision"]}
                if record["description"] and entry["DestinationStatus"] == "ENABLE_FAILED":
                    entry["DestinationStatusDescription"] = record["description"]
                listed.append(entry)
            return 200, {"TableName": name, "KinesisDataStreamDestinations": listed}
        arn = request.get("StreamArn")
        if not is_kinesis_stream_arn(arn):
            raise Refusal("ValidationException",
                          f"1 validation error detected: Value '{arn}' at 'streamArn' failed to "
                          f"satisfy constraint: Member must be a Kinesis data stream ARN")
        record = t["kinesis"].get(arn)
        shown = self._shown(record, now) if record else None
        if record and record["until"] > now:
            raise Refusal("ResourceInUseException",
                          f"The streaming destination {arn} of table {name} is being changed")
        if operation == "EnableKinesisStreamingDestination":
            if shown == "ACTIVE":
                raise Refusal("ValidationException",
                              f"Table {name} is already streaming to destination {arn}")
            config = request.get("EnableKinesisStreamingConfiguration") or {}
            record = {"precision": config.get("ApproximateCreationDateTimePrecision")
                      or "MILLISECOND", "description": self.kinesis_fail,
                      "status": "ENABLE_FAILED" if self.kinesis_fail else "ACTIVE",
                      "passing": "ENABLING"}
        elif shown != "ACTIVE":
            raise Refusal("ValidationException",
                          f"Table {name} is not streaming to destination {arn}")
        elif operation == "DisableKinesisStreamingDestination":
            record = dict(record, status="DISABLED", passing="DISABLING")
        elif operation == "UpdateKinesisStreamingDestination":
            config = request.get("UpdateKinesisStreamingConfiguration") or {}
            record = dict(record, passing="UPDATING",
                          precision=config.get("ApproximateCreationDateTimePrecision")
                          or record["precision"])
        else:
            raise Refusal("UnknownOperationException", "")
        record["until"] = now + delay
        t["kinesis"][arn] = record
        body = {"TableName": name, "StreamArn": arn,
                "DestinationStatus": self._shown(record, now)}
        if operation == "EnableKinesisStreamingDestination":
            body["EnableKinesisStreamingConfiguration"] = {
                "ApproximateCreationDateTimePrecision": record["precision"]}
        return 200, body


class DynamoDb:
    """What the service would be doing now, per table. All methods run under LOCK."""

    def __init__(self, enabled, delay, no_tagging):
        self.enabled = enabled
        self.delay = delay
        self.no_tagging = no_tagging
        # table name -> fields laid over its DescribeTable answers (settings the service has and
        # moto does not, e.g. Replicas)
        self.extra = {}
        # refusals asked for by a test: [{"operation", "table", "type", "message", "times"}]
        self.refuse = []
        # name -> {"status": (STATUS, until) or None,
        #          "indexes": {index: {"status", "start", "until", "description"}},
        #          "deleted": TableDescription of a table being deleted,
        #          "last": the last description forwarded,
        #          "types": attribute types seen, "table_class": the TableClass asked for}
        self.tables = {}
        self.streaming = Streaming()

    def control(self, update):
        self.streaming.control(update)
        if "enabled" in update:
            self.enabled = bool(update["enabled"])
        if "delay" in update:
            self.delay = max(0.0, float(update["delay"]))
        if "no_tagging" in update:
            self.no_tagging = bool(update["no_tagging"])
        if "failing_replica_region" in update:
            REPLICAS.failing_region = update["failing_replica_region"] or None
        if "describe_extra" in update:
            extra = update["describe_extra"]
            if not isinstance(extra, dict):
                raise ValueError("describe_extra must map table names to objects")
            self.extra = extra
        if "refuse" in update:
            refuse = update["refuse"]
            if not isinstance(refuse, list) or not all(
                    isinstance(r, dict) and {"operation", "table", "type"} <= set(r)
                    for r in refuse):
                raise ValueError("refuse must be a list of {operation, table, type[, message, "
                                 "times]}")
            self.refuse = [dict(r, times=int(r.get("times", 1))) for r in refuse]
        return self.describe_state()

    def describe_state(self):
        now = time.monotonic()
        tables = {}
        for name in list(self.tables):
            t = self._entry(name, now)
            busy = {}
            if t["status"]:
                busy["table"] = t["status"][0]
            for index, progress in t["indexes"].items():
                busy["index " + index] = progress["status"]
            if busy:
                tables[name] = busy
        return {"enabled": self.enabled, "delay": self.delay, "no_tagging": self.no_tagging,
                "tables": tables, "refuse": self.refuse,
                "streaming": self.streaming.describe_state(now), "replicas": REPLICAS.state(now)}

    def _entry(self, name, now):
        t = self.tables.setdefault(name, {"name": name, "status": None, "indexes": {},
                                          "deleted": None,
                                          "last": None, "types": {}, "table_class": None,
                                          "on_demand": None, "index_on_demand": {},
                                          "policy": None})
        if t["status"] and t["status"][1] <= now:
            if t["status"][0] == "DELETING":
                t["deleted"] = None
                t["last"] = None
                t["types"] = {}
                t["table_class"] = None
                t["on_demand"] = None
                t["index_on_demand"] = {}
                t["policy"] = None
            t["status"] = None
        t["indexes"] = {k: v for k, v in t["indexes"].items() if v["until"] > now}
        return t

    # ---- before forwarding: refusals, and answers the proxy gives itself -----------------

    def before(self, operation, request, region=None):
        """None to forward; (status, body dict) to answer without forwarding. `region` is the
        one the request is signed for."""
        if self.no_tagging and operation in TAG_OPERATIONS:
            raise Refusal("UnknownOperationException", "")
        name = table_name(request.get("TableName") or request.get("ResourceArn"))
        if name is None:
            return None
        for r in self.refuse:
            if r["times"] > 0 and r["operation"] == operation and r["table"] == name:
                r["times"] -= 1
                raise Refusal(r["type"], r.get("message", ""))
        now = time.monotonic()
        t = self._entry(name, now)
        status = t["status"][0] if t["status"] else None
        if operation in STREAMING_OPERATIONS:
            known = t["last"] if status != "DELETING" else None
            return self.streaming.answer(operation, request, known, self.delay, now)
        in_use = ("ResourceInUseException",
                  f"Attempt to change a resource which is still in use: Table is being "
                  f"{BEING.get(status, '')}: {name}")
        if operation == "CreateTable" and status == "DELETING":
            raise Refusal("ResourceInUseException", f"Table already exists: {name}")
        if operation in ("UpdateTable", "DeleteTable") and status:
            raise Refusal(*in_use)
        if operation == "UpdateTimeToLive" and status == "CREATING":
            raise Refusal(*in_use)
        if operation in ITEM_OPERATIONS and status == "CREATING":
            raise Refusal("ResourceNotFoundException", "Requested resource not found")
        if operation == "UpdateTable":
            self._check_update(name, t, request)
        REPLICAS.check(operation, name, request, t["last"], region, now)
        if operation == "GetResourcePolicy" and t["policy"]:
            return 200, {"Policy": t["policy"], "RevisionId": "1"}
        if operation == "DeleteResourcePolicy" and t["policy"]:
            t["policy"] = None  # moto never had it
            return 200, {"RevisionId": "2"}
        if operation == "PutResourcePolicy":
            t["policy"] = None  # moto keeps the new one
        if operation == "DescribeTable" and status == "DELETING" and t["deleted"]:
            described = dict(t["deleted"], TableStatus="DELETING")
            return 200, {"Table": described}
        return None

    def _check_update(self, name, t, request):
        changes = [u for u in request.get("GlobalSecondaryIndexUpdates") or []
                   if isinstance(u, dict) and ("Create" in u or "Delete" in u)]
        if len(changes) > 1 or (changes and t["indexes"]):
            raise Refusal("LimitExceededException", ONE_INDEX)
        stream = request.get("StreamSpecification")
        last = t["last"]
        if isinstance(stream, dict) and last is not None:
            has_stream = bool((last.get("StreamSpecification") or {}).get("StreamEnabled"))
            if stream.get("StreamEnabled") is True and has_stream:
                raise Refusal("ValidationException",
                              f"Table already has an enabled stream: TableName: {name}")
            if stream.get("StreamEnabled") is False and not has_stream:
                raise Refusal("ValidationException",
                              f"Table does not have a stream to disable: TableName: {name}")

    # ---- after forwarding: remember what changed, show the status it is in ---------------

    def after(self, operation, request, status, body):
        """The answer body to send instead of `body` (a dict), or None to leave it."""
        name = table_name(request.get("TableName"))
        if name is None or not isinstance(body, dict):
            return None
        now = time.monotonic()
        t = self._entry(name, now)
        if status != 200:
            if operation == "DescribeTable" and "ResourceNotFound" in str(body.get("__type")):
                self.tables.pop(name, None)  # gone behind our back: nothing is in progress
            if body.get("__type") == "ResourceNotFound":  # moto's time-to-live calls
                return dict(body, __type=ERROR_PREFIX + "ResourceNotFoundException")
            return None
        key = "Table" if operation == "DescribeTable" else "TableDescription"
        description = body.get(key)
        if not isinstance(description, dict):
            return None
        if operation == "CreateTable":
            self.streaming.forget(name)
            t["types"] = {}
            t["table_class"] = request.get("TableClass")
            t["policy"] = request.get("ResourcePolicy")
            t["on_demand"] = request.get("OnDemandThroughput")
            t["index_on_demand"] = {
                g.get("IndexName"): g["OnDemandThroughput"]
                for g in request.get("GlobalSecondaryIndexes") or []
                if isinstance(g, dict) and g.get("OnDemandThroughput")}
            self._start(t, "CREATING", now)
        elif operation == "DeleteTable":
            REPLICAS.forget(name)
            self._start(t, "DELETING", now)
            t["deleted"] = json.loads(json.dumps(description))
        elif operation == "UpdateTable":
            self._updated(t, request, now)  # before "last" changes: it reads the old indexes
            REPLICAS.apply(name, request, self.delay, now)
            if request.get("TableClass"):
                t["table_class"] = request["TableClass"]
            if request.get("OnDemandThroughput"):
                t["on_demand"] = request["OnDemandThroughput"]
            for u in request.get("GlobalSecondaryIndexUpdates") or []:
                for kind in ("Create", "Update"):
                    g = u.get(kind) if isinstance(u, dict) else None
                    if isinstance(g, dict) and g.get("OnDemandThroughput"):
                        t["index_on_demand"][g.get("IndexName")] = g["OnDemandThroughput"]
        for source in (request, description):
            for d in source.get("AttributeDefinitions") or []:
                if isinstance(d, dict) and d.get("AttributeName") and d.get("AttributeType"):
                    t["types"][d["AttributeName"]] = d["AttributeType"]
        if operation != "DeleteTable":
            t["last"] = json.loads(json.dumps(description))
        shown = self._overlay(t, description, now)
        if operation == "DescribeTable":
            shown.update(self.extra.get(name) or {})
        if operation == "UpdateTable" and self.delay > 0:
            shown["TableStatus"] = "UPDATING"  # the answer always says the change has begun
        return dict(body, **{key: shown})

    def _start(self, t, status, now):
        t["indexes"] = {}
        t["status"] = (status, now + self.delay) if self.delay > 0 else None

    def _updated(self, t, request, now):
        if self.delay <= 0:
            return
        index_change = False
        for u in request.get("GlobalSecondaryIndexUpdates") or []:
            if not isinstance(u, dict):
                continue
            for kind, status in (("Create", "CREATING"), ("Delete", "DELETING")):
                if not isinstance(u.get(kind), dict) or not u[kind].get("IndexName"):
                    continue
                index = u[kind]["IndexName"]
                # moto forgets a deleted index at once: keep how it looked to list it DELETING.
                before = next((g for g in (t["last"] or {}).get("GlobalSecondaryIndexes") or []
                               if isinstance(g, dict) and g.get("IndexName") == index), None)
                t["indexes"][index] = {"status": status, "start": now, "until": now + self.delay,
                                       "description": before or {"IndexName": index}}
                index_change = True
        if not index_change:
            t["status"] = ("UPDATING", now + self.delay)

    def _overlay(self, t, description, now):
        shown = json.loads(json.dumps(description))
        if t["status"]:
            shown["TableStatus"] = t["status"][0]
        creating_table = t["status"] and t["status"][0] == "CREATING"
        listed = shown.get("GlobalSecondaryIndexes")
        listed = listed if isinstance(listed, list) else []
        names = set()
        for g in listed:
            if not isinstance(g, dict):
                continue
            names.add(g.get("IndexName"))
            if creating_table:
                g["IndexStatus"] = "CREATING"
            progress = t["indexes"].get(g.get("IndexName"))
            if progress and progress["status"] == "CREATING":
                g["IndexStatus"] = "CREATING"
                g["Backfilling"] = now >= (progress["start"] + progress["until"]) / 2
        for index, progress in sorted(t["indexes"].items()):
            if progress["status"] != "DELETING" or index in names:
                continue
            gone = json.loads(json.dumps(progress["description"]))
            gone["IndexStatus"] = "DELETING"
            gone.pop("Backfilling", None)
            listed.append(gone)
        if listed or "GlobalSecondaryIndexes" in shown:
            shown["GlobalSecondaryIndexes"] = listed
        if t["table_class"] and "TableClassSummary" not in shown:
            shown["TableClassSummary"] = {"TableClass": t["table_class"]}
        if t["on_demand"] and "OnDemandThroughput" not in shown:
            shown["OnDemandThroughput"] = t["on_demand"]
        for g in listed:
            asked = isinstance(g, dict) and t["index_on_demand"].get(g.get("IndexName"))
            if asked and "OnDemandThroughput" not in g:
                g["OnDemandThroughput"] = asked
        self._used_attributes(t, shown)
        REPLICAS.overlay(t["name"], shown, t["table_class"], now)
        return shown

    @staticmethod
    def _used_attributes(t, shown):
        """AttributeDefinitions as the service keeps them: one for each attribute a key of the
        table or of an index uses. moto instead stores the list of the last UpdateTable that
        had one, which drops the table's own keys when an index is added."""
        used = []
        schemas = [shown.get("KeySchema")]
        for kind in ("LocalSecondaryIndexes", "GlobalSecondaryIndexes"):
            schemas += [i.get("KeySchema") for i in shown.get(kind) or [] if isinstance(i, dict)]
        for schema in schemas:
            for key in schema if isinstance(schema, list) else []:
                name = key.get("AttributeName") if isinstance(key, dict) else None
                if name and name not in used:
                    used.append(name)
        if not used:
            return
        shown["AttributeDefinitions"] = [{"AttributeName": n, "AttributeType": t["types"][n]}
                                         for n in used if n in t["types"]]


# ---- Global table replicas (version 2019.11.21) ------------------------------------------
# Kept apart from DynamoDb above: moto ignores ReplicaUpdates, so the proxy holds every replica.

LOCAL_REGION = ("Cannot add, delete, or update the local region through ReplicaUpdates. Use "
                "CreateTable, DeleteTable, or UpdateTable as required.")
REPLICA_NOT_FOUND = ("Replica specified in the Replica Update or Replica Delete action of the "
                     "request was not found.")
NOT_AUTOSCALED = "Table write capacity should either be Pay-Per-Request or AutoScaled."


def signing_region(authorization):
    """The region of a SigV4 Authorization header's credential scope, or None."""
    marker = "Credential="
    at = (authorization or "").find(marker)
    if at < 0:
        return None
    parts = authorization[at + len(marker):].split(",", 1)[0].split("/")
    return parts[2] if len(parts) >= 5 else None


class ReplicaPlay:
    """Replicas per table: {name: {region: {"replica": dict, "status": S, "until": T}}}.
    All methods run under LOCK."""

    def __init__(self):
        self.tables = {}
        self.failing_region = None

    def _current(self, name, now):
        replicas = self.tables.get(name) or {}
        for region in list(replicas):
            r = replicas[region]
            if r["status"] == "ACTIVE" or r["until"] > now:
                continue
            if r["status"] == "DELETING":
                del replicas[region]
            elif r["status"] == "CREATING" and region == self.failing_region:
                r["status"] = "CREATION_FAILED"
            elif r["status"] != "CREATION_FAILED":
                r["status"] = "ACTIVE"
        return replicas

    def state(self, now):
        return {name: {region: r["status"] for region, r in self._current(name, now).items()}
                for name in list(self.tables) if self._current(name, now)}

    def forget(self, name):
        self.tables.pop(name, None)

    def check(self, operation, name, request, last, local_region, now):
        """Raises Refusal for what the service refuses; None otherwise."""
        replicas = self._current(name, now)
        if operation == "DeleteTable" and replicas:
            raise Refusal("ValidationException",
                          f"Table {name} still has replicas in {', '.join(sorted(replicas))}; "
                          "delete them before the table")
        if operation != "UpdateTable":
            return
        if "StreamSpecification" in request and replicas:
            raise Refusal("ValidationException",
                          f"The stream of table {name} cannot be changed while it has replicas")
        updates = request.get("ReplicaUpdates")
        if not isinstance(updates, list):
            return
        creates_or_deletes = [u for u in updates
                              if isinstance(u, dict) and ("Create" in u or "Delete" in u)]
        if len(creates_or_deletes) > 1:
            raise Refusal("ValidationException",
                          "Only one replica can be created or deleted per UpdateTable request")
        if last is None:
            return  # a table the proxy never saw described: passed through
        billing = (last.get("BillingModeSummary") or {}).get("BillingMode", "PROVISIONED")
        if billing != "PAY_PER_REQUEST":
            raise Refusal("ValidationException", NOT_AUTOSCALED)
        for u in updates:
            kind = next((k for k in ("Create", "Update", "Delete") if k in (u or {})), None)
            body = u.get(kind) if kind else None
            region = body.get("RegionName") if isinstance(body, dict) else None
            if region == local_region or (kind == "Create" and region in replicas):
                raise Refusal("ValidationException", LOCAL_REGION)
            if kind in ("Update", "Delete") and region not in replicas:
                raise Refusal("ValidationException", REPLICA_NOT_FOUND)
            stream = last.get("StreamSpecification") or {}
            if kind == "Create" and stream.get("StreamViewType") != "NEW_AND_OLD_IMAGES":
                raise Refusal("ValidationException",
                              f"Table {name} needs a stream with NEW_AND_OLD_IMAGES to have "
                              "replicas")

    def apply(self, name, request, delay, now):
        """Records the ReplicaUpdates of an UpdateTable moto accepted."""
        replicas = self.tables.setdefault(name, {})
        self._current(name, now)
        for u in request.get("ReplicaUpdates") or []:
            for kind, status in (("Create", "CREATING"), ("Update", "UPDATING"),
                                 ("Delete", "DELETING")):
                body = u.get(kind) if isinstance(u, dict) else None
                if not isinstance(body, dict):
                    continue
                region = body.get("RegionName")
                entry = replicas.setdefault(region, {"replica": {}, "status": "ACTIVE",
                                                     "until": 0})
                if kind != "Delete":
                    merged = dict(entry["replica"], **body)
                    if (merged.get("OnDemandThroughputOverride") or {}).get(
                            "MaxReadRequestUnits") == -1:
                        merged.pop("OnDemandThroughputOverride")
                    entry["replica"] = merged
                entry["status"], entry["until"] = status, now + delay
        self._current(name, now)

    def overlay(self, name, shown, table_class, now):
        replicas = self._current(name, now)
        if not replicas:
            return
        listed = []
        for region in sorted(replicas):
            r = replicas[region]
            described = {k: v for k, v in r["replica"].items() if k != "TableClassOverride"}
            described["RegionName"] = region
            described["ReplicaStatus"] = r["status"]
            if r["status"] == "CREATION_FAILED":
                described["ReplicaStatusDescription"] = (
                    f"The KMS key for replica {region} is not accessible")
            described["ReplicaTableClassSummary"] = {
                "TableClass": r["replica"].get("TableClassOverride") or table_class or "STANDARD"}
            listed.append(described)
        shown["Replicas"] = listed
        shown["GlobalTableVersion"] = "2019.11.21"


REPLICAS = ReplicaPlay()


DYNAMODB = DynamoDb(False, 3.0, False)


GLUE_PAGED = {"GetDatabases": "DatabaseList", "GetTables": "TableList",
              "GetPartitions": "Partitions"}
PAGE_TOKEN = "strata-fault-proxy-page:"


class Glue:
    """What Glue would answer where moto is kinder. All methods run under LOCK."""

    def __init__(self, enabled, page_size):
        self.enabled = enabled
        self.page_size = page_size
        self.versions = {}  # "db.table" -> the table's current VersionId (an int)
        self.hold = None    # {"operation": OP, "seconds": S}, for the next OP request
        self.holding = 0
        self.held = 0

    def control(self, update):
        if "page_size" in update:
            self.page_size = max(1, int(update["page_size"]))
        if "hold" in update:
            hold = update["hold"]
            self.hold = None if not hold else {"operation": str(hold["operation"]),
                                               "seconds": float(hold["seconds"])}
        return self.describe_state()

    def describe_state(self):
        return {"enabled": self.enabled, "page_size": self.page_size, "holding": self.holding,
                "held": self.held, "versions": dict(self.versions)}

    def take_hold(self, operation):
        """Seconds the request must wait (0: none); the hold is used up."""
        if self.hold is None or self.hold["operation"] != operation:
            return 0
        seconds, self.hold = self.hold["seconds"], None
        self.holding += 1
        return seconds

    def release(self):
        self.holding -= 1
        self.held += 1

    @staticmethod
    def _key(database, table):
        if not isinstance(database, str) or not isinstance(table, str):
            return None
        return database.lower() + "." + table.lower()

    def before(self, operation, request):
        if operation != "UpdateTable" or "VersionId" not in request:
            return
        key = self._key(request.get("DatabaseName"), (request.get("TableInput") or {}).get("Name"))
        known = self.versions.get(key)
        if known is not None and str(request["VersionId"]) != str(known):
            raise Refusal("ConcurrentModificationException",
                          "Update table failed due to concurrent modifications.")

    def _remember(self, table):
        if isinstance(table, dict) and "VersionId" in table:
            key = self._key(table.get("DatabaseName"), table.get("Name"))
            try:
                self.versions[key] = int(table["VersionId"])
            except (TypeError, ValueError):
                pass

    def after(self, operation, request, status, answer):
        """The answer to send instead of moto's, or None to send moto's unchanged."""
        if status != 200 or not isinstance(answer, dict):
            return None
        if operation == "GetTable":
            self._remember(answer.get("Table"))
        elif operation == "GetTables":
            for table in answer.get("TableList") or []:
                self._remember(table)
        elif operation == "CreateTable":
            key = self._key(request.get("DatabaseName"), (request.get("TableInput") or {}).get("Name"))
            self.versions[key] = 1
        elif operation == "UpdateTable":
            key = self._key(request.get("DatabaseName"), (request.get("TableInput") or {}).get("Name"))
            if key in self.versions:
                self.versions[key] += 1
        elif operation == "DeleteTable":
            self.versions.pop(self._key(request.get("DatabaseName"), request.get("Name")), None)
        if operation not in GLUE_PAGED:
            return None
        field = GLUE_PAGED[operation]
        items = answer.get(field) or []
        token = request.get("NextToken")
        start = 0
        if isinstance(token, str) and token.startswith(PAGE_TOKEN):
            start = int(token[len(PAGE_TOKEN):])
        size = self.page_size
        if isinstance(request.get("MaxResults"), int) and request["MaxResults"] > 0:
            size = min(size, request["MaxResults"])
        page = dict(answer)
        page[field] = items[start:start + size]
        page.pop("NextToken", None)
        if start + size < len(items):
            page["NextToken"] = PAGE_TOKEN + str(start + size)
        return page



GLUE = Glue(False, 100)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        super().setup()
        # Headers and body leave in separate writes: without this, Nagle's algorithm holds the
        # body back until the client's delayed ACK (some 40 ms per answer).
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with LOCK:
            STATE["connections"] += 1

    def log_message(self, format, *args):  # quiet: the tests read results, not logs
        pass

    def _send(self, status, body=b"", content_type="application/x-amz-json-1.0", headers=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _send_json(self, data):
        self._send(200, json.dumps(data).encode(), "application/json")

    def _refuse(self, refusal, prefix=ERROR_PREFIX, content_type="application/x-amz-json-1.0"):
        body = {"__type": prefix + refusal.error_type}
        if refusal.message:
            body["message"] = refusal.message
        self._send(400, json.dumps(body).encode(), content_type,
                   headers=[("X-Amzn-ErrorType", refusal.error_type),
                            ("x-amzn-RequestId", "strata-fault-proxy")])

    def _control(self, body):
        if self.command == "GET" and self.path == "/__fault/stats":
            with LOCK:
                stats = {"requests": STATE["requests"], "connections": STATE["connections"],
                         "faults": STATE["served"], "described": dict(STATE["described"]),
                         "max_in_flight": STATE["max_in_flight"]}
            self._send_json(stats)
        elif self.command == "POST" and self.path == "/__fault/script":
            with LOCK:
                STATE["faults"] = [f for f in body.decode().split(",") if f]
            self._send(200, b"{}", "application/json")
        elif self.path == "/__fault/dynamodb" and self.command in ("GET", "POST"):
            try:
                update = json.loads(body or b"{}") if self.command == "POST" else {}
                with LOCK:
                    state = DYNAMODB.control(update)
            except (ValueError, TypeError) as e:
                return self._send(400, str(e).encode(), "text/plain")
            self._send_json(state)
        elif self.path == "/__fault/operations" and self.command in ("GET", "POST"):
            try:
                update = json.loads(body or b"{}") if self.command == "POST" else {}
                with LOCK:
                    state = OPERATION_FAULTS.control(update)
            except (ValueError, TypeError, AttributeError) as e:
                return self._send(400, str(e).encode(), "text/plain")
            self._send_json(state)
        elif self.path == "/__fault/glue" and self.command in ("GET", "POST"):
            try:
                update = json.loads(body or b"{}") if self.command == "POST" else {}
                with LOCK:
                    state = GLUE.control(update)
            except (ValueError, TypeError, KeyError) as e:
                return self._send(400, str(e).encode(), "text/plain")
            self._send_json(state)
        else:
            self._send(404)

    def _handle(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if self.path.startswith("/__fault/"):
            return self._control(body)
        with LOCK:
            STATE["requests"] += 1
            fault = None
            if STATE["faults"]:
                name, _, method = STATE["faults"][0].partition("@")
                if not method or method == self.command:
                    fault = name
                    STATE["faults"].pop(0)
            if fault:
                STATE["served"] += 1
            else:
                fault = OPERATION_FAULTS.take(self.headers.get("X-Amz-Target"), body)
        if fault == "fake-ok":
            return self._send(200, b"{}", "application/x-amz-json-1.0")
        if fault == "validation-return-values":
            return self._send(400, json.dumps({
                "__type": ERROR_PREFIX + "ValidationException",
                "message": "1 validation error detected: ReturnValuesOnConditionCheckFailure is "
                           "not a known parameter"}).encode())
        if fault == "stall":
            time.sleep(5)
            self.close_connection = True
            return
        if fault == "drop":
            self.close_connection = True
            return
        if fault == "throttle":
            return self._send(400, THROTTLE)
        if fault == "lose-reply":
            self._forward(body)
            self.close_connection = True
            return
        if fault == "slowdown":
            return self._send(503, S3_SLOWDOWN, "application/xml")
        if fault == "conditional-conflict":
            return self._send(409, S3_CONDITIONAL_CONFLICT, "application/xml")
        if fault:
            return self._send(int(fault))

        glue_operation, glue_request = self._glue_request(body)
        if glue_operation is not None:
            return self._glue(glue_operation, glue_request, body)
        operation, request = self._dynamodb_request(body)
        if operation == "DescribeTable":
            name = table_name(request.get("TableName"))
            with LOCK:
                STATE["described"][name] = STATE["described"].get(name, 0) + 1
        if operation is not None:
            try:
                with LOCK:
                    answer = DYNAMODB.before(operation, request,
                                             signing_region(self.headers.get("Authorization")))
            except Refusal as refusal:
                return self._refuse(refusal)
            if answer is not None:
                return self._send(answer[0], json.dumps(answer[1]).encode())
        status, headers, data = self._forward(body)
        if operation is not None:
            data = self._rewrite(operation, request, status, headers, data)
        if (IGNORE_IF_NONE_MATCH and self.command == "PUT" and status == 412
                and self.headers.get("If-None-Match") is not None):
            status, headers, data = 200, [("ETag", '"ignored-if-none-match"')], b""
        self._answer(status, headers, data)

    def _glue(self, operation, request, body):
        with LOCK:
            seconds = GLUE.take_hold(operation)
        if seconds:
            time.sleep(seconds)
            with LOCK:
                GLUE.release()
        try:
            with LOCK:
                GLUE.before(operation, request)
        except Refusal as refusal:
            return self._refuse(refusal, "", "application/x-amz-json-1.1")
        status, headers, data = self._forward(body)
        encoding = next((v for k, v in headers if k.lower() == "content-encoding"), "identity")
        if encoding == "identity":
            try:
                answer = json.loads(data or b"{}")
            except ValueError:
                answer = None
            with LOCK:
                changed = GLUE.after(operation, request, status, answer)
            if changed is not None:
                data = json.dumps(changed).encode()
        self._answer(status, headers, data)

    def _answer(self, status, headers, data):
        self.send_response(status)
        for name, value in headers:
            if name.lower() not in ("content-length", "connection", "transfer-encoding",
                                    "keep-alive", "server", "date"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _glue_request(self, body):
        """(operation, request dict) for a Glue call in Glue mode, else (None, None)."""
        if not GLUE.enabled:
            return None, None
        target = self.headers.get("X-Amz-Target") or ""
        if not target.startswith("AWSGlue."):
            return None, None
        try:
            request = json.loads(body or b"{}")
        except ValueError:
            return None, None
        if not isinstance(request, dict):
            return None, None
        return target.split(".", 1)[1], request

    def _dynamodb_request(self, body):
        """(operation, request dict) for a DynamoDB call in DynamoDB mode, else (None, None)."""
        if not DYNAMODB.enabled:
            return None, None
        target = self.headers.get("X-Amz-Target") or ""
        if not target.startswith("DynamoDB_20120810."):
            return None, None
        try:
            request = json.loads(body or b"{}")
        except ValueError:
            return None, None
        if not isinstance(request, dict):
            return None, None
        return target.split(".", 1)[1], request

    def _rewrite(self, operation, request, status, headers, data):
        encoding = next((v for k, v in headers if k.lower() == "content-encoding"), "identity")
        if encoding != "identity":
            return data
        try:
            answer = json.loads(data or b"{}")
        except ValueError:
            return data
        with LOCK:
            changed = DYNAMODB.after(operation, request, status, answer)
        if changed is None:
            return data
        new = json.dumps(changed).encode()
        for i, (k, _) in enumerate(headers):
            if k.lower() == "x-amz-crc32":
                headers[i] = (k, str(zlib.crc32(new) & 0xFFFFFFFF))
            if k.lower() == "x-amzn-errortype" and "#" in str(changed.get("__type")):
                headers[i] = (k, changed["__type"].split("#", 1)[1])
        return new

    def _forward(self, body):
        # An absolute-form target (the client uses us as its proxy) keeps only its path.
        target = urllib.parse.urlsplit(self.path)
        path = target.path or "/"
        if target.query:
            path += "?" + target.query
        if SERIALIZE is not None:
            with SERIALIZE:
                return self._forward_now(body, path)
        return self._forward_now(body, path)

    def _forward_now(self, body, path):
        with LOCK:
            STATE["in_flight"] += 1
            STATE["max_in_flight"] = max(STATE["max_in_flight"], STATE["in_flight"])
        try:
            return self._forward_upstream(body, path)
        finally:
            with LOCK:
                STATE["in_flight"] -= 1

    def _forward_upstream(self, body, path):
        conn = http.client.HTTPConnection(*UPSTREAM, timeout=60)
        try:
            conn.putrequest(self.command, path, skip_host=True, skip_accept_encoding=True)
            for name, value in self.headers.items():
                if name.lower() not in ("proxy-connection", "connection", "keep-alive"):
                    conn.putheader(name, value)
            conn.endheaders(body)
            answer = conn.getresponse()
            data = answer.read()
        finally:
            conn.close()
        return answer.status, list(answer.getheaders()), data

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle


def main():
    global UPSTREAM
    parser = argparse.ArgumentParser(description="fault-injecting proxy in front of moto")
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--upstream", required=True)
    parser.add_argument("--faults", default="")
    parser.add_argument("--dynamodb", action="store_true")
    parser.add_argument("--delay", type=float, default=3.0)
    parser.add_argument("--no-tagging", action="store_true")
    parser.add_argument("--glue", action="store_true")
    parser.add_argument("--page-size", type=int, default=100)
    parser.add_argument("--parent-pid", type=int)
    parser.add_argument("--serialize", action="store_true")
    parser.add_argument("--s3-ignore-if-none-match", action="store_true")
    args = parser.parse_args()
    global SERIALIZE, IGNORE_IF_NONE_MATCH
    IGNORE_IF_NONE_MATCH = args.s3_ignore_if_none_match
    SERIALIZE = threading.Lock() if args.serialize else None
    upstream = urllib.parse.urlsplit(args.upstream)
    UPSTREAM = (upstream.hostname, upstream.port or 80)
    STATE["faults"] = [f for f in args.faults.split(",") if f]
    DYNAMODB.control({"enabled": args.dynamodb, "delay": args.delay,
                      "no_tagging": args.no_tagging})
    GLUE.enabled = args.glue
    GLUE.control({"page_size": args.page_size})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    serve(server, args.port_file, args.parent_pid)


if __name__ == "__main__":
    main()
