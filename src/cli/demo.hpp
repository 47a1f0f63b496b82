// The demo month shared by `caseflow demo` and `caseflow report` (without
// history files): a generated but plausible month of the three departments.
#pragma once

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>

#include "caseflow/calendar.hpp"
#include "caseflow/engine.hpp"
#include "caseflow/report.hpp"

namespace caseflow::cli {

struct demo_config {
    std::string rules_dir = "rules";
    std::uint32_t seed = 20261001;
    int year = 2026;
    unsigned month = 10;     ///< October: the National Day week included
    double scale = 1.0;      ///< multiplies the daily arrival rates
    bool progress = true;    ///< progress bar on stderr (only when it is a terminal)
};

struct demo_run {
    std::unique_ptr<engine> eng;
    std::unique_ptr<calendar> office;
    report_options options;  ///< office zone, supervisors by workflow
    date_t first{}, last{};  ///< the month's first and last day
    std::size_t campaigns = 0;
};

/// Runs the month.  Daily digests, campaign summaries and weekly statistics go
/// to `out` as they happen (nullptr: silent).  Throws caseflow::error.
demo_run simulate_month(const demo_config& config, std::ostream* out);

}  // namespace caseflow::cli
