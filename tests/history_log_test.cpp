#define BOOST_TEST_MODULE history_log
// The engine's byte-encoded history log (src/history_log.hpp): what goes in
// comes back out, at any offset, across chunks, for every value a slot or an
// id can hold.
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "history_log.hpp"

using caseflow::record_kind;
using caseflow::detail::history_log;
using caseflow::detail::record;
using caseflow::detail::slot;
using caseflow::detail::unset_slot;

namespace {

constexpr std::uint32_t none = history_log::no_record;

void check_same(const record& got, const record& want, const std::vector<slot>& got_slots, const slot* want_slots) {
    BOOST_TEST(got.at == want.at);
    BOOST_TEST(got.case_index == want.case_index);
    BOOST_TEST(got.prev == want.prev);
    BOOST_TEST(got.a == want.a);
    BOOST_TEST(got.b == want.b);
    BOOST_TEST(got.count == want.count);
    if (want.kind == record_kind::event && (want.code & history_log::event_stepped)) BOOST_TEST(got.payload == want.payload);
    BOOST_TEST((got.kind == want.kind));
    BOOST_TEST(got.code == want.code);
    for (std::uint32_t i = 0; i < want.count; ++i) BOOST_TEST(got_slots[got.payload + i] == want_slots[i]);
}

}  // namespace

BOOST_AUTO_TEST_CASE(extreme_values_round_trip) {
    history_log log;
    const slot values[] = {unset_slot, std::numeric_limits<slot>::max(), unset_slot + 1, -1, 0, 1, 1'790'726'400'000};
    const record opened{-5'000, 0, none, 0, none, 0, 7, record_kind::opened, 0};
    const std::uint32_t first = log.append(opened, values);
    const record note{-5'000, 0xfffffffeu, first, none, 0xfffffffeu, 0, 0, record_kind::note, 0xff};
    const std::uint32_t second = log.append(note, nullptr);
    std::vector<slot> slots;
    check_same(log.decode(first, slots), opened, slots, values);
    slots.clear();
    check_same(log.decode(second, slots), note, slots, nullptr);
    BOOST_TEST(log.size() == 2u);
}

BOOST_AUTO_TEST_CASE(stepped_event_keeps_its_transition) {
    history_log log;
    const record r{1'000, 3, none, 4, 2, 17, 0, record_kind::event, history_log::event_stepped};
    std::vector<slot> slots;
    const record got = log.decode(log.append(r, nullptr), slots);
    BOOST_TEST(got.payload == 17u);
    BOOST_TEST(got.b == 2u);
    BOOST_TEST(got.code == history_log::event_stepped);
}

BOOST_AUTO_TEST_CASE(fixed_form_steps_and_their_varint_fallback) {
    history_log log;
    std::vector<slot> slots;
    const std::uint32_t opened = log.append(record{1'000, 9, none, 0, none, 0, 0, record_kind::opened, 0}, nullptr);
    const std::uint32_t small = log.append_step(9, opened, 1'005, 3, 1, 2);
    const std::uint32_t big = log.append_step(9, small, 1'005 + 0x1'0000'0000, 70'000, 1, 2);  // too wide for the fixed form
    const std::uint32_t after = log.append_step(9, big, 1'005 + 0x1'0000'0001, 4, 2, 5);
    const record a = log.decode(small, slots);
    BOOST_TEST((a.kind == record_kind::event));
    BOOST_TEST(a.code == history_log::event_stepped);
    BOOST_TEST(a.at == 1'005);
    BOOST_TEST(a.a == 3u);
    BOOST_TEST(a.b == 1u);
    BOOST_TEST(a.payload == 2u);
    BOOST_TEST(a.prev == opened);
    BOOST_TEST(a.case_index == 9u);
    const record b = log.decode(big, slots);
    BOOST_TEST(b.a == 70'000u);
    BOOST_TEST(b.at == 1'005 + 0x1'0000'0000);
    BOOST_TEST(b.prev == small);
    const record c = log.decode(after, slots);
    BOOST_TEST(c.prev == big);
    BOOST_TEST(c.payload == 5u);
    std::vector<std::uint32_t> scanned;
    std::vector<slot> scan_slots;
    log.for_each(scan_slots, [&](std::uint32_t offset, const record&) { scanned.push_back(offset); });
    BOOST_TEST((scanned == std::vector<std::uint32_t>{opened, small, big, after}));
}

BOOST_AUTO_TEST_CASE(precomputed_heads_write_the_library_s_records) {
    // engine::dispatch writes a move's and a rejection's record from a head
    // its dispatch cell keeps (log_cursor::step_head, rejected_head): the
    // records must be the ones append_step() and append_small() write, byte
    // for byte, so that which path wrote a record cannot show.
    const record opened{1'000, 4, none, 0, none, 0, 0, record_kind::opened, 0};
    history_log library, inline_path;
    std::uint32_t prev[2] = {library.append(opened, nullptr), inline_path.append(opened, nullptr)};
    const std::uint8_t no_transition = 1, case_closed = 2;  // dispatch_status
    prev[0] = library.append_step(4, prev[0], 1'001, 3, 0xfffe, 0xffff);
    prev[0] = library.append_small(record{1'002, 4, prev[0], 6, 0, 0, 0, record_kind::rejected, no_transition}, nullptr);
    prev[0] = library.append_small(record{1'003, 4, prev[0], 0xfffe, 0, 0, 0, record_kind::rejected, case_closed}, nullptr);
    caseflow::detail::log_cursor& w = *inline_path.cursor();
    using caseflow::detail::log_cursor;
    BOOST_TEST(w.room());
    prev[1] = w.put_headed(log_cursor::step_head(3, 0xfffe, 0xffff), prev[1], 1'001, 4);
    prev[1] = w.put_headed(log_cursor::rejected_head(no_transition, 6), prev[1], 1'002, 4);
    prev[1] = w.put_headed(log_cursor::rejected_head(case_closed, 0xfffe), prev[1], 1'003, 4);
    BOOST_TEST(prev[1] == prev[0]);
    BOOST_TEST(inline_path.bytes() == library.bytes());
    BOOST_TEST(inline_path.size() == 4u);
    std::vector<slot> slots;
    std::vector<record> written;
    library.for_each(slots, [&](std::uint32_t, const record& r) { written.push_back(r); });
    std::size_t k = 0;
    inline_path.for_each(slots, [&](std::uint32_t, const record& r) {
        BOOST_REQUIRE(k < written.size());
        check_same(r, written[k++], slots, nullptr);
    });
    BOOST_TEST(k == 4u);
    BOOST_TEST(written[1].b == 0xfffeu);        // the from-leaf
    BOOST_TEST(written[1].payload == 0xffffu);  // the transition
    BOOST_TEST(written[2].b == 0u);
    BOOST_TEST(written[3].a == 0xfffeu);
    // A chunk's time base reaches 2^32 - 1 ms: fits() says so at its edge,
    // and time_end is the first instant past it.
    BOOST_TEST(w.fits(std::int64_t{1'000} + 0xffff'ffff));  // (not 1'000 + 0xffff'ffff: 32 bits, 999)
    BOOST_TEST(!w.fits(1'000 + 0x1'0000'0000));
    BOOST_TEST(!w.fits(999));  // before the base
    BOOST_TEST(w.time_end() == 1'000 + 0x1'0000'0000);
    BOOST_TEST(!log_cursor{}.room());  // no chunk yet
    BOOST_TEST(log_cursor{}.time_end() == INT64_MIN);
}

BOOST_AUTO_TEST_CASE(small_fixed_form_and_its_varint_fallback) {
    // append_small() writes a record of at most one slot and ids below
    // 0xffff in 20 or 28 bytes; anything wider goes the varint way.  Either
    // way the record reads back the same.
    history_log log;
    const slot big_value = std::numeric_limits<slot>::max();
    const slot two[] = {5, unset_slot};
    struct row {
        record r;
        const slot* data;
    };
    const row rows[] = {
        {{2'000, 1, none, 7, none, 0, 1, record_kind::action, 0}, &big_value},              // 28 bytes
        {{2'000, 1, none, 3, 0, 0, 0, record_kind::rejected, 1}, nullptr},                  // 20 bytes
        {{2'001, 0xfffffffeu, none, 0xfffe, 0xfffe, 0, 1, record_kind::rejected, 2}, &unset_slot},  // widest that fits
        {{2'002, 1, none, 0xffff, none, 0, 0, record_kind::action, 0}, nullptr},             // a too wide
        {{2'003, 1, none, none, 0xffff, 0, 0, record_kind::note, 0}, nullptr},               // b too wide
        {{2'004, 1, none, 1, 2, 0, 2, record_kind::action, 4}, two},                         // two slots
        {{2'005 + 0x1'0000'0000, 1, none, 1, 2, 0, 1, record_kind::action, 0}, &two[0]},     // beyond the time base
    };
    std::vector<std::uint32_t> offsets;
    std::uint32_t prev = none;
    for (const auto& x : rows) {
        record r = x.r;
        r.prev = prev;
        prev = log.append_small(r, x.data);
        offsets.push_back(prev);
    }
    BOOST_TEST(offsets[1] - offsets[0] == 28u / 4);
    BOOST_TEST(offsets[2] - offsets[1] == 20u / 4);
    std::size_t k = 0;
    std::vector<slot> scan_slots;
    log.for_each(scan_slots, [&](std::uint32_t offset, const record& got) {
        BOOST_REQUIRE(k < std::size(rows));
        record want = rows[k].r;
        want.prev = k == 0 ? none : offsets[k - 1];
        BOOST_TEST(offset == offsets[k]);
        check_same(got, want, scan_slots, rows[k].data);
        std::vector<slot> slots;
        check_same(log.decode(offset, slots), want, slots, rows[k].data);
        ++k;
    });
    BOOST_TEST(k == std::size(rows));
}

BOOST_AUTO_TEST_CASE(many_records_across_chunks_chain_and_scan) {
    // Enough records to fill several 2 MiB chunks, interleaved over cases,
    // with time moving forward by random steps (the log's time never goes back).
    history_log log;
    std::mt19937_64 rng(42);
    const std::uint32_t cases = 257;
    std::vector<std::uint32_t> last(cases, none);
    std::vector<record> written;
    std::vector<std::vector<slot>> payloads;
    std::vector<std::uint32_t> offsets;
    std::int64_t t = 1'790'726'400'000;
    for (int i = 0; i < 400'000; ++i) {
        t += static_cast<std::int64_t>(rng() % 3) * static_cast<std::int64_t>(rng() % 100'000);
        const auto ci = static_cast<std::uint32_t>(rng() % cases);
        if (rng() % 4 == 0) {  // a fast-path step
            const record r{t, ci, last[ci], static_cast<std::uint32_t>(rng() % 100), static_cast<std::uint32_t>(rng() % 50),
                           static_cast<std::uint32_t>(rng() % 300), 0, record_kind::event, history_log::event_stepped};
            last[ci] = log.append_step(r.case_index, r.prev, r.at, r.a, r.b, r.payload);
            offsets.push_back(last[ci]);
            written.push_back(r);
            payloads.emplace_back();
            continue;
        }
        std::vector<slot> p(rng() % 6);
        for (auto& v : p) v = rng() % 5 == 0 ? unset_slot : static_cast<slot>(rng());
        const auto b = static_cast<std::uint32_t>(rng() % 3 == 0 ? rng() : rng() % 70'000);  // small ones fit the fixed form
        const record r{t, ci, last[ci], static_cast<std::uint32_t>(rng() % 100), b, 0,
                       static_cast<std::uint16_t>(p.size()), static_cast<record_kind>(rng() % 13), static_cast<std::uint8_t>(rng() % 0x40)};
        last[ci] = p.size() <= 2 && rng() % 2 ? log.append_small(r, p.data()) : log.append(r, p.data());
        offsets.push_back(last[ci]);
        written.push_back(r);
        payloads.push_back(std::move(p));
    }
    BOOST_TEST(log.bytes() > 5u * (1u << 20));  // several chunks
    // A scan visits every record in order.
    std::size_t k = 0;
    std::vector<slot> scan_slots;
    log.for_each(scan_slots, [&](std::uint32_t offset, const record& r) {
        BOOST_REQUIRE(k < offsets.size());
        BOOST_TEST(offset == offsets[k]);
        check_same(r, written[k], scan_slots, payloads[k].data());
        std::vector<slot> slots;  // decoding at the offset gives the same
        check_same(log.decode(offset, slots), written[k], slots, payloads[k].data());
        ++k;
    });
    BOOST_TEST(k == written.size());
    // A case's chain, newest first, ends at its first record.
    for (std::uint32_t ci = 0; ci < cases; ci += 64) {
        std::size_t seen = 0;
        std::vector<slot> slots;
        for (auto i = last[ci]; i != none;) {
            const record r = log.decode(i, slots);
            BOOST_TEST(r.case_index == ci);
            i = r.prev;
            ++seen;
        }
        std::size_t expected = 0;
        for (const auto& r : written) expected += r.case_index == ci;
        BOOST_TEST(seen == expected);
    }
}
