// The CLI's subcommands, one file each.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "caseflow/calendar.hpp"
#include "cli/calendar_command.hpp"

namespace caseflow::cli {

/// `caseflow replay`: returns the exit code (0 pass, 1 an expectation failed, 2 invalid input).
int replay(const std::vector<std::string>& files, const std::string& rules_dir, bool print, bool json);

/// `caseflow demo`: the README's main job.
void add_demo_command(CLI::App& app, int& status);

/// `caseflow campaign`: a return-visit campaign over a customer CSV.
void add_campaign_command(CLI::App& app, int& status);

/// `caseflow report`: daily digest and weekly / monthly statistics.
void add_report_command(CLI::App& app, int& status);

/// Calendar `name` of `<rules_dir>/calendars` (campaign, report, demo).
calendar rules_calendar(const std::string& rules_dir, const std::string& name);

}  // namespace caseflow::cli
