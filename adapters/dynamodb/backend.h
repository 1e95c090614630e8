// The DynamoDB backend: table files (YAML or CreateTable JSON) as the desired state, tables of
// a DynamoDB endpoint as targets, plans with DynamoDB's rules (plan.h), execution with waits
// (execute.h), numbered artifacts and Mizzle snapshots. Registered in adapters/backend.
#pragma once

#include "adapters/backend/backend.h"

namespace strata::dynamodb {

const backend::Backend& TheBackend();

}  // namespace strata::dynamodb
