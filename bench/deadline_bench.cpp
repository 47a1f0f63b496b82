// Deadlines through the engine.
//
// deadline_storm: 1,000,000 cases whose deadline falls on the same
// millisecond, each firing a transition and an action, handled by one
// engine::advance_to.  Setup (opening the cases) is not timed.
//
// deadline_churn: what a state change costs when it cancels the state's
// deadline and arms the next state's (the commonest timer traffic of a
// running CRM), next to the same state changes in a workflow without
// deadlines, interleaved in one loop; 200,000 cases, each flipped once a pass
// in a fixed shuffled order, so timers are touched all over the wheel.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <random>
#include <vector>

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

constexpr const char* churn_yaml = R"(workflow: churn
version: 1
events: [flip]
initial: a
states:
  a:
    deadlines:
      - { name: a_due, after: 4h, event: flip }
    on: { flip: b }
  b:
    deadlines:
      - { name: b_due, after: 30h, event: flip }
    on: { flip: a }
)";
constexpr const char* churn_plain_yaml = R"(workflow: churn_plain
version: 1
events: [flip]
initial: a
states:
  a:
    on: { flip: b }
  b:
    on: { flip: a }
)";

void deadline_churn(benchmark::State& state) {
    using clock = std::chrono::steady_clock;
    const caseflow::rule_set rules[2] = {caseflow::load_rules_from_string(churn_plain_yaml, "churn_plain.yaml"),
                                         caseflow::load_rules_from_string(churn_yaml, "churn.yaml")};
    const std::size_t n = std::getenv("CASEFLOW_BENCH_SMOKE") ? 2'000 : 200'000;
    const char* const workflows[2] = {"churn_plain", "churn"};
    std::unique_ptr<caseflow::engine> eng[2];
    caseflow::event_id flip[2];
    std::vector<caseflow::case_id> order;
    const auto t0 = caseflow::bench::bench_t0();
    for (int k = 0; k < 2; ++k) {
        eng[k] = std::make_unique<caseflow::engine>(rules[k], caseflow::engine_options{false, 100});
        flip[k] = eng[k]->event(workflows[k], "flip");
        for (std::size_t i = 0; i < n; ++i) eng[k]->open(workflows[k], {}, t0);
    }
    for (std::uint32_t i = 0; i < n; ++i) order.push_back(caseflow::case_id{i});
    std::shuffle(order.begin(), order.end(), std::mt19937_64{11});
    double ns[2] = {0, 0};
    std::int64_t t = t0.time_since_epoch().count();
    for (auto _ : state) {
        ++t;  // a millisecond a pass: no deadline comes due
        const caseflow::instant at{caseflow::duration{t}};
        double iteration = 0;
        for (int k = 0; k < 2; ++k) {
            caseflow::engine& e = *eng[k];
            const auto start = clock::now();
            for (caseflow::case_id c : order) benchmark::DoNotOptimize(e.dispatch(c, flip[k], at));
            const double d = std::chrono::duration<double, std::nano>(clock::now() - start).count();
            ns[k] += d;
            iteration += d;
        }
        state.SetIterationTime(iteration * 1e-9);
    }
    if (eng[1]->pending_timers() != n || eng[0]->pending_timers() != 0) {
        state.SkipWithError("every case should hold exactly one pending deadline");
        return;
    }
    const double events = static_cast<double>(state.iterations()) * static_cast<double>(n);
    state.counters["plain_ns"] = ns[0] / events;
    state.counters["deadlines_ns"] = ns[1] / events;
    state.counters["deadlines_vs_plain"] = ns[1] / ns[0];
    state.counters["pending"] = static_cast<double>(n);
}
BENCHMARK(deadline_churn)->UseManualTime()->Unit(benchmark::kMillisecond);

}  // namespace
