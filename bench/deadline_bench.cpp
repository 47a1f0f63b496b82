// Deadline storm through the engine: 1,000,000 cases whose deadline falls on
// the same millisecond, each firing a transition and an action, handled by
// one engine::advance_to.  Setup (opening the cases) is not timed.  The row
// reports an error until the engine arms `deadlines:`.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include <benchmark/benchmark.h>

#include "bench_util.hpp"
#include "caseflow/engine.hpp"
#include "caseflow/rules.hpp"

namespace {

constexpr const char* storm_yaml = R"(workflow: storm
version: 1
attributes:
  severity: { type: enum, values: [minor, normal, major], default: normal }
events: [overdue, handled]
initial: waiting
states:
  waiting:
    deadlines:
      - { name: reply_due, after: 1h, event: overdue }
    on:
      overdue:
        target: escalated
        actions:
          - escalate: { to: supervisor, reason: reply overdue }
  escalated:
    on:
      handled: waiting
)";

std::size_t storm_cases() { return std::getenv("CASEFLOW_BENCH_SMOKE") ? 10'000 : 1'000'000; }

void deadline_storm(benchmark::State& state, bool history) {
    caseflow::rule_set rules;
    try {
        rules = caseflow::load_rules_from_string(storm_yaml, "storm.yaml");
    } catch (const std::exception& e) {
        state.SkipWithError((std::string("deadlines do not load yet: ") + e.what()).substr(0, 300).c_str());
        return;
    }
    const std::size_t n = storm_cases();
    const auto t0 = caseflow::bench::bench_t0();
    std::size_t moved = 0;
    for (auto _ : state) {
        state.PauseTiming();
        auto eng = std::make_unique<caseflow::engine>(rules, caseflow::engine_options{history, 100});
        std::size_t actions = 0;
        eng->on_action([&](const caseflow::action&) { ++actions; });
        for (std::size_t i = 0; i < n; ++i) {
            char name[16];
            std::snprintf(name, sizeof name, "S-%07zu", i);
            eng->open("storm", {}, t0, name);
        }
        state.ResumeTiming();
        eng->advance_to(t0 + std::chrono::hours(1));
        state.PauseTiming();
        moved = 0;
        for (std::uint32_t i = 0; i < n; ++i) moved += eng->state(caseflow::case_id{i}) == "escalated";
        if (moved != n || actions != n) {
            state.SkipWithError("not every deadline fired its transition and action");
            break;
        }
        eng.reset();
        state.ResumeTiming();
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
    state.counters["deadlines"] = static_cast<double>(n);
}
BENCHMARK_CAPTURE(deadline_storm, no_history, false)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(deadline_storm, history, true)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace
