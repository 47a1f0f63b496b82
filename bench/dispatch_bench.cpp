// Dispatch: the complaint workflow as the hand-written Boost.MSM machine
// (bench/msm_complaint.hpp) and as its YAML twin (bench/rules/
// complaint_bench.yaml) run by the engine, with and without the in-memory
// history, on 1024 cases round-robin so no single case stays hot.
//
// Two event scripts: `lifecycle` takes every case from received to closed
// (the severity guard, the escalation, two ignored events), `steady` cycles
// the middle states without guards.  Each script runs in two orders: in
// step, one event to every case before the next (the host's loop fixes the
// event, so MSM's switch over event types leaves the loop), and mixed, each
// case's own events in order but the cases interleaved at random, as a CRM's
// events arrive (the event type changes from one dispatch to the next).
// The dispatch_ratio_* rows run the three variants interleaved in one loop
// and report the ratios as counters, which are what docs/performance.md
// quotes: on a shared machine, ratios measured side by side are steadier
// than absolute times.
#include <chrono>
#include <cstdint>
#include <iterator>
#include <memory>
#include <random>
#include <vector>

#include <benchmark/benchmark.h>

#include "bench_util.hpp"
#include "caseflow/engine.hpp"
#include "caseflow/rules.hpp"
#include "msm_complaint.hpp"

namespace {

namespace mc = caseflow::bench::msm_complaint;
using caseflow::case_id;
using caseflow::engine;
using caseflow::event_id;
using caseflow::instant;

// Event numbers: the order of `events:` in complaint_bench.yaml.
enum ev : std::uint8_t { facts_established, solved, cannot_solve, promised_date_reached, replied, customer_rejected, close };
constexpr const char* event_names[] = {"facts_established",     "solved",  "cannot_solve",     "promised_date_reached",
                                       "replied",               "customer_rejected", "close"};
constexpr std::size_t event_count = sizeof(event_names) / sizeof(event_names[0]);

// What a case is left with after a script, worked out by hand from the table
// in msm_complaint.hpp: events sent and ignored, replies counted, closed.
struct outcome {
    std::uint32_t sent, ignored, replies;
    bool closed;
};

// received -> closed; `replied` in promised_reply and `solved` once closed are ignored.
constexpr ev lifecycle[] = {facts_established, cannot_solve, replied, promised_date_reached, replied,
                            customer_rejected, solved,       replied, close,                 solved};
constexpr outcome after_lifecycle{10, 2, 2, true};
// investigating -> ... -> investigating, after one facts_established: every
// event is taken, and each pass counts two replies.
constexpr ev steady[] = {cannot_solve, promised_date_reached, replied, customer_rejected, solved, replied, customer_rejected};
constexpr std::size_t steady_passes = 16;
constexpr outcome after_steady{1 + 7 * steady_passes, 0, 2 * steady_passes, false};

constexpr std::size_t case_count = 1024;
bool major(std::size_t i) { return i % 4 == 0; }  // both guard outcomes, 1:3

// A mixed order: one dispatch of the script's event `e` to case `c`: an index
// into the fleet's cases (MSM's machines), or the engine's handle for it.
template <class Case>
struct dispatch_step {
    Case c;
    ev e;
};
using trace = std::vector<dispatch_step<std::uint32_t>>;
// Every case's script (`passes` times), each case's events in the script's
// order, the cases interleaved by a shuffle.  The rows draw a new trace for
// every run (seeds 1, 2, ...) and give it to all sides: a trace run again and
// again let the branch predictors learn it (the engine ran it ~3x faster than
// a new one, MSM not).
template <std::size_t N>
trace mixed(const ev (&script)[N], std::size_t passes, std::uint32_t seed) {
    std::vector<std::uint32_t> turns;
    turns.reserve(case_count * N * passes);
    for (std::uint32_t c = 0; c < case_count; ++c) turns.insert(turns.end(), N * passes, c);
    // Fisher-Yates by hand: std::shuffle's steps differ between standard
    // libraries, mt19937's sequence is fixed by the standard.
    std::mt19937 rng(seed);
    for (std::size_t i = turns.size() - 1; i > 0; --i) std::swap(turns[i], turns[rng() % (i + 1)]);
    std::vector<std::size_t> next(case_count, 0);
    trace out;
    out.reserve(turns.size());
    for (std::uint32_t c : turns) out.push_back({c, script[next[c]++ % N]});
    return out;
}

const caseflow::rule_set& rules() {
    static const caseflow::rule_set r = caseflow::load_rules(caseflow::bench::source_dir() / "bench/rules/complaint_bench.yaml");
    return r;
}

// --- the MSM fleet ---------------------------------------------------------

struct msm_fleet {
    std::vector<mc::machine> m;

    msm_fleet() : m(case_count) {
        for (std::size_t i = 0; i < m.size(); ++i) {
            m[i].severity = major(i) ? mc::severity_level::major : mc::severity_level::normal;
            m[i].start();
        }
    }
    static void send(mc::machine& x, ev e) {
        switch (e) {
            case facts_established: x.process_event(mc::facts_established{}); break;
            case solved: x.process_event(mc::solved{}); break;
            case cannot_solve: x.process_event(mc::cannot_solve{}); break;
            case promised_date_reached: x.process_event(mc::promised_date_reached{}); break;
            case replied: x.process_event(mc::replied{}); break;
            case customer_rejected: x.process_event(mc::customer_rejected{}); break;
            case close: x.process_event(mc::close{}); break;
        }
    }
    // Out of line, so callgrind can count exactly this loop (scripts/bench.sh),
    // and aligned to a cache line like engine_fleet::run: shifted by 16 bytes
    // with the code around them, the two loops once ran ~10 % faster and
    // slower respectively, and the steady ratio went from 1.52x to 1.2x.
    // Their inner loops are aligned too (-falign-loops, bench/CMakeLists.txt).
    template <std::size_t N>
    [[gnu::noinline, gnu::aligned(64)]] void run(const ev (&script)[N], std::size_t passes = 1) {
        for (std::size_t p = 0; p < passes; ++p)
            for (ev e : script)
                for (auto& x : m) send(x, e);
    }
    [[gnu::noinline, gnu::aligned(64)]] void run(const trace& steps) {
        for (const auto& s : steps) send(m[s.c], s.e);
    }
    bool left_with(const outcome& o) const {
        for (const auto& x : m)
            if (x.ignored != o.ignored || x.replies != o.replies || (x.current_state()[0] == mc::closed_id) != o.closed) return false;
        return true;
    }
};

// --- the engine fleet ------------------------------------------------------

struct engine_fleet {
    engine eng;
    std::vector<case_id> ids;
    event_id events[event_count];
    std::int64_t t;

    explicit engine_fleet(bool history)
        : eng(rules(), caseflow::engine_options{history, 100}), t(caseflow::bench::bench_t0().time_since_epoch().count()) {
        for (std::size_t e = 0; e < event_count; ++e) events[e] = eng.event("complaint_bench", event_names[e]);
        const caseflow::value_map major_attrs{{"severity", caseflow::value::enumeration("major")}};
        const caseflow::value_map normal_attrs{{"severity", caseflow::value::enumeration("normal")}};
        ids.reserve(case_count);
        for (std::size_t i = 0; i < case_count; ++i)
            ids.push_back(eng.open("complaint_bench", major(i) ? major_attrs : normal_attrs, now(), "C-" + std::to_string(i)));
    }
    instant now() const { return instant{caseflow::duration{t}}; }
    // Out of line and aligned, as msm_fleet::run.
    template <std::size_t N>
    [[gnu::noinline, gnu::aligned(64)]] void run(const ev (&script)[N], std::size_t passes = 1) {
        for (std::size_t p = 0; p < passes; ++p)
            for (ev e : script) {
                ++t;  // one millisecond a step
                const instant at = now();
                const event_id id = events[e];
                // The result is dropped, as msm_fleet::run drops MSM's: no
                // memory clobber (DoNotOptimize) on one side only.  The cases'
                // state says afterwards what they took (left_with).
                for (case_id c : ids) eng.dispatch(c, id, at);
            }
    }
    // A mixed order with the engine's handles for the cases (handles()): the
    // host's own ids of its cases, as MSM's loop has the machines' indices.
    using handle_trace = std::vector<dispatch_step<case_id>>;
    handle_trace handles(const trace& steps) const {
        handle_trace out;
        out.reserve(steps.size());
        for (const auto& s : steps) out.push_back({ids[s.c], s.e});
        return out;
    }
    [[gnu::noinline, gnu::aligned(64)]] void run(const handle_trace& steps) {
        for (const auto& s : steps) {
            ++t;  // one millisecond a dispatch
            eng.dispatch(s.c, events[s.e], now());
        }
    }
    // A case's version is 1 at open, + 1 for each event it took.
    bool left_with(const outcome& o) const {
        for (case_id c : ids)
            if (eng.version(c) != 1 + o.sent - o.ignored || eng.attribute(c, "replies").as_integer() != o.replies ||
                eng.closed(c) != o.closed)
                return false;
        return true;
    }
};

enum class variant { msm, engine, engine_history };

// The order a script's events go out in (top of file).
enum class order { in_step, mixed };

// A script run `passes` times, in step or mixed, and what every case is left with.
template <std::size_t N>
struct workload {
    const ev (&script)[N];
    std::size_t passes;
    bool to_investigating;  // after one facts_established
    outcome after;
    order how;
};

// The fleet of a variant, set up for a workload: moved to investigating if it
// starts there, and in a mixed order given the trace of run number `run` (the
// engine's with its handles for the cases).
struct any_fleet {
    std::unique_ptr<msm_fleet> msm;
    std::unique_ptr<engine_fleet> eng;
    trace msm_trace;
    engine_fleet::handle_trace engine_trace;
    template <std::size_t N>
    any_fleet(variant v, const workload<N>& w, std::uint32_t run) {
        static constexpr ev first[] = {facts_established};
        trace steps = w.how == order::mixed ? mixed(w.script, w.passes, run) : trace{};
        if (v == variant::msm) {
            msm = std::make_unique<msm_fleet>();
            if (w.to_investigating) msm->run(first);
            msm_trace = std::move(steps);
        } else {
            eng = std::make_unique<engine_fleet>(v == variant::engine_history);
            if (w.to_investigating) eng->run(first);
            engine_trace = eng->handles(steps);
        }
    }
    template <std::size_t N>
    void run(const workload<N>& w) {
        if (w.how == order::in_step) {
            if (msm) msm->run(w.script, w.passes);
            else eng->run(w.script, w.passes);
        } else {
            if (msm) msm->run(msm_trace);
            else eng->run(engine_trace);
        }
    }
    bool left_with(const outcome& o) const { return msm ? msm->left_with(o) : eng->left_with(o); }
};

// --- one variant per row -----------------------------------------------------

// Whether the fleet's cases ended as the script says; if not, the row fails
// (bench_smoke fails on the error).
bool ended_as_scripted(benchmark::State& state, const any_fleet& fleet, const outcome& after) {
    if (fleet.left_with(after)) return true;
    state.SkipWithError("a case did not end as the script says (events taken and ignored, replies, closed)");
    return false;
}

template <std::size_t N>
void dispatch_script(benchmark::State& state, variant v, const workload<N>& w) {
    std::uint32_t run = 0;
    for (auto _ : state) {
        state.PauseTiming();
        auto fleet = std::make_unique<any_fleet>(v, w, ++run);
        state.ResumeTiming();
        fleet->run(w);
        state.PauseTiming();
        if (!ended_as_scripted(state, *fleet, w.after)) break;
        fleet.reset();
        state.ResumeTiming();
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * case_count * N * w.passes));
}

constexpr workload<std::size(lifecycle)> lifecycle_in(order how) { return {lifecycle, 1, false, after_lifecycle, how}; }
constexpr workload<std::size(steady)> steady_in(order how) { return {steady, steady_passes, true, after_steady, how}; }

void dispatch_lifecycle(benchmark::State& state, variant v) { dispatch_script(state, v, lifecycle_in(order::in_step)); }
void dispatch_steady(benchmark::State& state, variant v) { dispatch_script(state, v, steady_in(order::in_step)); }
void dispatch_mixed_lifecycle(benchmark::State& state, variant v) { dispatch_script(state, v, lifecycle_in(order::mixed)); }
void dispatch_mixed_steady(benchmark::State& state, variant v) { dispatch_script(state, v, steady_in(order::mixed)); }
// Rows <fn>/msm, <fn>/engine, <fn>/engine_history.
#define DISPATCH_ROWS(fn)                          \
    BENCHMARK_CAPTURE(fn, msm, variant::msm);       \
    BENCHMARK_CAPTURE(fn, engine, variant::engine); \
    BENCHMARK_CAPTURE(fn, engine_history, variant::engine_history)
DISPATCH_ROWS(dispatch_lifecycle);
DISPATCH_ROWS(dispatch_steady);
DISPATCH_ROWS(dispatch_mixed_lifecycle);
DISPATCH_ROWS(dispatch_mixed_steady);

// --- the three interleaved: the ratios -------------------------------------

template <std::size_t N>
void dispatch_ratio(benchmark::State& state, const workload<N>& w) {
    using clock = std::chrono::steady_clock;
    double ns[3] = {0, 0, 0};
    const variant variants[3] = {variant::msm, variant::engine, variant::engine_history};
    std::uint32_t run = 0;
    for (auto _ : state) {
        double iteration = 0;
        ++run;
        for (int k = 0; k < 3; ++k) {
            any_fleet fleet(variants[k], w, run);
            const auto start = clock::now();
            fleet.run(w);
            const double d = std::chrono::duration<double, std::nano>(clock::now() - start).count();
            if (!ended_as_scripted(state, fleet, w.after)) return;
            ns[k] += d;
            iteration += d;
        }
        state.SetIterationTime(iteration * 1e-9);
    }
    const double events = static_cast<double>(state.iterations()) * case_count * N * w.passes;
    state.counters["msm_ns"] = ns[0] / events;
    state.counters["engine_ns"] = ns[1] / events;
    state.counters["history_ns"] = ns[2] / events;
    state.counters["engine_vs_msm"] = ns[1] / ns[0];
    state.counters["history_vs_msm"] = ns[2] / ns[0];
}
void dispatch_ratio_lifecycle(benchmark::State& state) { dispatch_ratio(state, lifecycle_in(order::in_step)); }
void dispatch_ratio_steady(benchmark::State& state) { dispatch_ratio(state, steady_in(order::in_step)); }
void dispatch_ratio_mixed_lifecycle(benchmark::State& state) { dispatch_ratio(state, lifecycle_in(order::mixed)); }
void dispatch_ratio_mixed_steady(benchmark::State& state) { dispatch_ratio(state, steady_in(order::mixed)); }
BENCHMARK(dispatch_ratio_lifecycle)->UseManualTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(dispatch_ratio_steady)->UseManualTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(dispatch_ratio_mixed_lifecycle)->UseManualTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(dispatch_ratio_mixed_steady)->UseManualTime()->Unit(benchmark::kMicrosecond);

}  // namespace
