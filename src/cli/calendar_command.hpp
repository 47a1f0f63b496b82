// `caseflow calendar ...`: business-time arithmetic from the command line, so
// analysts can check a calendar file and a deadline without writing C++.
#pragma once

#include <CLI/CLI.hpp>

namespace caseflow::cli {

/// Adds `calendar add --calendar FILE --from INSTANT --duration DURATION`
/// (prints the resulting instant with the calendar zone's offset) and
/// `calendar info --calendar FILE DATE` (working day or not, why, and its
/// working ranges).  Errors print to stderr and exit 2 (CLI::RuntimeError).
void add_calendar_commands(CLI::App& app);

}  // namespace caseflow::cli
