// The CLI's subcommands, one file each.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/calendar_command.hpp"

namespace caseflow::cli {

/// `caseflow replay`: returns the exit code (0 pass, 1 an expectation failed, 2 invalid input).
int replay(const std::vector<std::string>& files, const std::string& rules_dir, bool print, bool json);

/// `caseflow demo`: the README's main job.
void add_demo_command(CLI::App& app, int& status);

}  // namespace caseflow::cli
