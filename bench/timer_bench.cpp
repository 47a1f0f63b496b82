// The deadline queue: caseflow's timing wheel next to std::multimap and
// std::priority_queue doing the same work in the same run, so the figures
// read as ratios.  bytes_per_timer is heap growth measured by malloc itself.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <queue>
#include <random>
#include <tuple>
#include <vector>

#include <malloc.h>

#include <benchmark/benchmark.h>

#include "caseflow/detail/timer_wheel.hpp"

namespace {

using caseflow::detail::expired_timer;
using caseflow::detail::timer_id;
using caseflow::detail::timer_wheel;

constexpr std::int64_t t0 = 1'790'000'000'000;
constexpr std::int64_t minute = 60'000;
constexpr std::int64_t week = 7 * 24 * 60 * minute;
constexpr std::size_t million = 1'000'000;

// Dues spread over a week, as an engine's SLA and contact deadlines are.
const std::vector<std::int64_t>& week_dues() {
    static const std::vector<std::int64_t> dues = [] {
        std::mt19937_64 rng{42};
        std::vector<std::int64_t> v(million);
        for (auto& d : v) d = t0 + static_cast<std::int64_t>(rng() % week);
        return v;
    }();
    return dues;
}

// Bytes malloc has handed out, small blocks and mmap()ed ones.
std::size_t heap_in_use() {
    const struct mallinfo2 m = mallinfo2();
    return m.uordblks + m.hblkhd;
}

using ref_key = std::pair<std::int64_t, std::uint64_t>;  // (due, insertion seq)
using ref_map = std::multimap<ref_key, std::uint64_t>;
using ref_entry = std::tuple<std::int64_t, std::uint64_t, std::uint64_t>;  // due, seq, payload
using ref_queue = std::priority_queue<ref_entry, std::vector<ref_entry>, std::greater<>>;

// --- insert + cancel, 1M pending -----------------------------------------

void wheel_insert_cancel(benchmark::State& state) {
    const auto& dues = week_dues();
    timer_wheel wheel{t0};
    std::vector<timer_id> ids(million);
    for (std::size_t i = 0; i < million; ++i) ids[i] = wheel.insert(dues[i], i);
    std::size_t k = 0;
    for (auto _ : state) {
        const std::size_t victim = (k * 7919) % million;
        wheel.cancel(ids[victim]);
        ids[victim] = wheel.insert(dues[k % million] + 1, k);
        ++k;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
    state.counters["bytes_per_timer"] = static_cast<double>(wheel.memory_bytes()) / million;
}
BENCHMARK(wheel_insert_cancel);

void multimap_insert_cancel(benchmark::State& state) {
    const auto& dues = week_dues();
    ref_map map;
    std::vector<ref_map::iterator> ids(million);
    std::uint64_t seq = 0;
    for (std::size_t i = 0; i < million; ++i) ids[i] = map.emplace(ref_key{dues[i], seq++}, i);
    std::size_t k = 0;
    for (auto _ : state) {
        const std::size_t victim = (k * 7919) % million;
        map.erase(ids[victim]);
        ids[victim] = map.emplace(ref_key{dues[k % million] + 1, seq++}, k);
        ++k;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(multimap_insert_cancel);

// --- expiries: 1M timers over a week, the clock advanced minute by minute ----
// with_insert:0 times the expiries alone (a sorted container has done its
// work at insertion, a wheel does part of it while expiring); with_insert:1
// times a timer's whole life, insertion included.

void wheel_expire_1m(benchmark::State& state) {
    const auto& dues = week_dues();
    std::uint64_t sum = 0;
    double bytes = 0;
    for (auto _ : state) {
        const bool timed_insert = state.range(0) != 0;
        if (!timed_insert) state.PauseTiming();
        const std::size_t before = heap_in_use();
        auto wheel = std::make_unique<timer_wheel>(t0);
        for (std::size_t i = 0; i < million; ++i) wheel->insert(dues[i], i);
        bytes = static_cast<double>(heap_in_use() - before) / million;
        if (!timed_insert) state.ResumeTiming();
        for (std::int64_t now = t0; now <= t0 + week; now += minute)
            wheel->advance(now, [&](const expired_timer& t) { sum += t.payload; });
        state.PauseTiming();
        wheel.reset();
        state.ResumeTiming();
    }
    benchmark::DoNotOptimize(sum);
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * million));
    state.counters["bytes_per_timer"] = bytes;
}
BENCHMARK(wheel_expire_1m)->ArgName("with_insert")->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

void priority_queue_expire_1m(benchmark::State& state) {
    const auto& dues = week_dues();
    std::uint64_t sum = 0;
    double bytes = 0;
    for (auto _ : state) {
        const bool timed_insert = state.range(0) != 0;
        if (!timed_insert) state.PauseTiming();
        const std::size_t before = heap_in_use();
        auto queue = std::make_unique<ref_queue>();
        for (std::size_t i = 0; i < million; ++i) queue->emplace(dues[i], i, i);
        bytes = static_cast<double>(heap_in_use() - before) / million;
        if (!timed_insert) state.ResumeTiming();
        for (std::int64_t now = t0; now <= t0 + week; now += minute) {
            while (!queue->empty() && std::get<0>(queue->top()) <= now) {
                sum += std::get<2>(queue->top());
                queue->pop();
            }
        }
        state.PauseTiming();
        queue.reset();
        state.ResumeTiming();
    }
    benchmark::DoNotOptimize(sum);
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * million));
    state.counters["bytes_per_timer"] = bytes;
}
BENCHMARK(priority_queue_expire_1m)->ArgName("with_insert")->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

void multimap_expire_1m(benchmark::State& state) {
    const auto& dues = week_dues();
    std::uint64_t sum = 0;
    double bytes = 0;
    for (auto _ : state) {
        const bool timed_insert = state.range(0) != 0;
        if (!timed_insert) state.PauseTiming();
        const std::size_t before = heap_in_use();
        auto map = std::make_unique<ref_map>();
        for (std::size_t i = 0; i < million; ++i) map->emplace(ref_key{dues[i], i}, i);
        bytes = static_cast<double>(heap_in_use() - before) / million;
        if (!timed_insert) state.ResumeTiming();
        for (std::int64_t now = t0; now <= t0 + week; now += minute) {
            while (!map->empty() && map->begin()->first.first <= now) {
                sum += map->begin()->second;
                map->erase(map->begin());
            }
        }
        state.PauseTiming();
        map.reset();
        state.ResumeTiming();
    }
    benchmark::DoNotOptimize(sum);
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * million));
    state.counters["bytes_per_timer"] = bytes;
}
BENCHMARK(multimap_expire_1m)->ArgName("with_insert")->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

// --- storm: 1M deadlines on the same millisecond, inserted and fired --------

constexpr std::int64_t storm_due = t0 + 26 * 60 * minute + 17;

void wheel_storm_1m(benchmark::State& state) {
    std::uint64_t sum = 0;
    for (auto _ : state) {
        timer_wheel wheel{t0};
        for (std::size_t i = 0; i < million; ++i) wheel.insert(storm_due, i);
        wheel.advance(storm_due, [&](const expired_timer& t) { sum += t.payload; });
    }
    benchmark::DoNotOptimize(sum);
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * million));
}
BENCHMARK(wheel_storm_1m)->Unit(benchmark::kMillisecond);

void priority_queue_storm_1m(benchmark::State& state) {
    std::uint64_t sum = 0;
    for (auto _ : state) {
        ref_queue queue;
        for (std::size_t i = 0; i < million; ++i) queue.emplace(storm_due, i, i);
        while (!queue.empty() && std::get<0>(queue.top()) <= storm_due) {
            sum += std::get<2>(queue.top());
            queue.pop();
        }
    }
    benchmark::DoNotOptimize(sum);
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * million));
}
BENCHMARK(priority_queue_storm_1m)->Unit(benchmark::kMillisecond);

void multimap_storm_1m(benchmark::State& state) {
    std::uint64_t sum = 0;
    for (auto _ : state) {
        ref_map map;
        for (std::size_t i = 0; i < million; ++i) map.emplace_hint(map.end(), ref_key{storm_due, i}, i);
        while (!map.empty() && map.begin()->first.first <= storm_due) {
            sum += map.begin()->second;
            map.erase(map.begin());
        }
    }
    benchmark::DoNotOptimize(sum);
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * million));
}
BENCHMARK(multimap_storm_1m)->Unit(benchmark::kMillisecond);

}  // namespace
