// The commands. Each reads its own flags from ctx.args and returns its exit code.
#pragma once

#include <boost/program_options.hpp>

#include "cli/context.h"
#include "cli/help.h"

namespace strata::cli {

CommandResult RunInit(Context& ctx);
CommandResult RunGenerate(Context& ctx);
CommandResult RunStatus(Context& ctx);
CommandResult RunLog(Context& ctx);
// strata log pull | status | push (a shared log and its local mirror).
CommandResult RunLogPull(Context& ctx);
CommandResult RunLogStatus(Context& ctx);
CommandResult RunLogPush(Context& ctx);
CommandResult RunShow(Context& ctx);
CommandResult RunDiff(Context& ctx);
CommandResult RunBlame(Context& ctx);
CommandResult RunVerify(Context& ctx);
CommandResult RunTag(Context& ctx);
CommandResult RunMigrate(Context& ctx);
CommandResult RunDrift(Context& ctx);
CommandResult RunReplay(Context& ctx);
CommandResult RunPlan(Context& ctx);
CommandResult RunApply(Context& ctx);
CommandResult RunPush(Context& ctx);
// Live targets: their objects, dropping, adopting and writing them as files.
CommandResult RunList(Context& ctx);
CommandResult RunDrop(Context& ctx);
CommandResult RunImport(Context& ctx);
CommandResult RunExport(Context& ctx);
// The history as one self-contained HTML page.
CommandResult RunReport(Context& ctx);

// Parses ctx.args against `options` (and positional names); throws UsageError on bad flags.
boost::program_options::variables_map ParseArgs(
    const Context& ctx, const boost::program_options::options_description& options,
    const boost::program_options::positional_options_description& positional);

// The value of a string option, or nullopt when it was not given.
std::optional<std::string> OptArg(const boost::program_options::variables_map& vm, const char* name);

// Each command's flags, as its parser takes them; cli/help.h renders --help, the completions
// and the man page from the same functions.
CommandFlags ApplyFlags();
CommandFlags BlameFlags();
CommandFlags DiffFlags();
CommandFlags DriftFlags();
CommandFlags DropFlags();
CommandFlags ExportFlags();
CommandFlags GenerateFlags();
CommandFlags ImportFlags();
CommandFlags InitFlags();
CommandFlags ListFlags();
CommandFlags LogFlags();
CommandFlags LogPullFlags();
CommandFlags LogPushFlags();
CommandFlags LogStatusFlags();
CommandFlags MigrateAddFlags();
CommandFlags MigrateHistoryFlags();
CommandFlags MigrateRunFlags();
CommandFlags MigrateStatusFlags();
CommandFlags MigrateValidateFlags();
CommandFlags PlanFlags();
CommandFlags PushFlags();
CommandFlags ReplayFlags();
CommandFlags ReportFlags();
CommandFlags ShowFlags();
CommandFlags StatusFlags();
CommandFlags TagFlags();
CommandFlags VerifyFlags();

}  // namespace strata::cli
