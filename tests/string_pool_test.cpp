#define BOOST_TEST_MODULE string_pool
#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "caseflow/detail/slot.hpp"

using caseflow::detail::string_pool;
using namespace std::string_view_literals;

namespace {

std::string phone(std::size_t i) {
    std::string s = std::to_string(i);
    return "138" + std::string(8 - s.size(), '0') + s;
}

// Every id's string and find() agree with `expected` (id -> string).
void check_all(const string_pool& pool, const std::vector<std::string>& expected) {
    BOOST_REQUIRE_EQUAL(pool.size(), expected.size());
    for (std::uint32_t id = 0; id < expected.size(); ++id) {
        BOOST_REQUIRE(pool.get(id) == expected[id]);
        BOOST_REQUIRE_EQUAL(pool.find(expected[id]), std::int64_t{id});
    }
}

}  // namespace

BOOST_AUTO_TEST_CASE(ids_are_dense_in_first_seen_order) {
    string_pool pool;
    BOOST_TEST(pool.size() == 0u);
    BOOST_TEST(pool.intern("b") == 0u);
    BOOST_TEST(pool.intern("a") == 1u);
    BOOST_TEST(pool.intern("b") == 0u);
    BOOST_TEST(pool.intern("c") == 2u);
    BOOST_TEST(pool.intern("a") == 1u);
    BOOST_TEST(pool.size() == 3u);
    BOOST_TEST(pool.get(0) == "b");
    BOOST_TEST(pool.get(1) == "a");
    BOOST_TEST(pool.get(2) == "c");

    // The same inputs give the same ids, whatever the hash does.
    string_pool again;
    std::vector<std::string> order;
    for (std::size_t i = 0; i < 5000; ++i) order.push_back(phone((i * 7919) % 3001));
    std::vector<std::uint32_t> first, second;
    for (const auto& s : order) first.push_back(pool.intern(s));
    for (const auto& s : order) second.push_back(again.intern(s));
    for (std::size_t i = 0; i < order.size(); ++i) BOOST_REQUIRE_EQUAL(first[i] - 3, second[i]);
}

BOOST_AUTO_TEST_CASE(same_string_same_id_from_any_buffer) {
    string_pool pool;
    std::string buf = "13800000001";
    const auto id = pool.intern(buf);
    buf.assign("xxxxxxxxxxx");  // the pool copied the characters
    BOOST_TEST(pool.get(id) == "13800000001");
    BOOST_TEST(pool.intern(std::string("138") + "00000001") == id);
    BOOST_TEST(pool.intern("13800000001"sv) == id);
    BOOST_TEST(pool.size() == 1u);
}

BOOST_AUTO_TEST_CASE(find_of_absent_strings) {
    string_pool pool;
    BOOST_TEST(pool.find("x") == -1);
    BOOST_TEST(pool.find("") == -1);
    pool.intern("abc");
    BOOST_TEST(pool.find("abc") == 0);
    BOOST_TEST(pool.find("ab") == -1);
    BOOST_TEST(pool.find("abcd") == -1);
    BOOST_TEST(pool.find("abc\0"sv) == -1);
    BOOST_TEST(pool.find("ABC") == -1);
    BOOST_TEST(pool.find("") == -1);
    for (std::size_t i = 0; i < 10000; ++i) pool.intern(phone(2 * i));
    for (std::size_t i = 0; i < 10000; ++i) BOOST_REQUIRE_EQUAL(pool.find(phone(2 * i + 1)), -1);
    BOOST_TEST(pool.size() == 10001u);  // find() adds nothing
}

BOOST_AUTO_TEST_CASE(views_stay_valid_after_a_million_more_interns) {
    string_pool pool;
    std::vector<std::string> first;
    std::vector<std::string_view> views;
    for (std::size_t i = 0; i < 100; ++i) {
        first.push_back("early-" + std::to_string(i) + std::string(i % 13, '#'));
        views.push_back(pool.get(pool.intern(first.back())));
    }
    for (std::size_t i = 0; i < 1'000'000; ++i) pool.intern(phone(i));
    BOOST_TEST(pool.size() == 1'000'100u);
    for (std::uint32_t id = 0; id < 100; ++id) {
        BOOST_REQUIRE(views[id] == first[id]);             // the old views still read right
        BOOST_REQUIRE(pool.get(id).data() == views[id].data());  // and still point where they did
    }
    for (std::size_t i = 0; i < 1'000'000; i += 997)
        BOOST_REQUIRE_EQUAL(pool.find(phone(i)), static_cast<std::int64_t>(100 + i));
}

BOOST_AUTO_TEST_CASE(empty_string) {
    string_pool pool;
    pool.intern("a");
    const auto id = pool.intern("");
    BOOST_TEST(id == 1u);
    BOOST_TEST(pool.get(id).empty());
    BOOST_TEST(pool.find("") == 1);
    BOOST_TEST(pool.intern(std::string_view()) == id);  // a null view is the empty string too
    BOOST_TEST(pool.intern("\0"sv) != id);
    BOOST_TEST(pool.size() == 3u);
}

BOOST_AUTO_TEST_CASE(embedded_nul_bytes) {
    const std::vector<std::string> strings = {
        std::string("a"), std::string("a\0"sv), std::string("a\0b"sv), std::string("a\0c"sv), std::string("\0"sv),
        std::string("\0\0"sv), std::string(8, '\0'), std::string(9, '\0'), std::string("12345678\0"sv),
        std::string("12345678"), std::string("\0a"sv)};
    string_pool pool;
    for (std::uint32_t i = 0; i < strings.size(); ++i) BOOST_REQUIRE_EQUAL(pool.intern(strings[i]), i);
    check_all(pool, strings);
    for (std::uint32_t i = 0; i < strings.size(); ++i) BOOST_TEST(pool.get(i).size() == strings[i].size());
}

BOOST_AUTO_TEST_CASE(strings_longer_than_a_block) {
    constexpr std::size_t block = string_pool::block_bytes;
    auto pattern = [](std::size_t n, char seed) {
        std::string s(n, ' ');
        for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>(seed + static_cast<char>(i % 61));
        return s;
    };
    // Lengths at the edges of the one-byte/two-byte/three-byte length prefix,
    // of the own-block threshold and of a block, and far past a block.
    const std::size_t lengths[] = {127,       128,       16383,     16384,     block / 4 - 2, block / 4 - 1,
                                   block / 4, block / 4 + 1, block - 1, block, block + 1,     3 * block + 17};
    string_pool pool;
    std::vector<std::string> expected;
    std::vector<std::string_view> views;
    char seed = 'A';
    for (std::size_t n : lengths) {
        for (const std::string& s : {pattern(n, seed), phone(expected.size())}) {  // long and short interleaved
            BOOST_REQUIRE_EQUAL(pool.intern(s), expected.size());
            expected.push_back(s);
            views.push_back(pool.get(static_cast<std::uint32_t>(expected.size() - 1)));
        }
        ++seed;
    }
    check_all(pool, expected);
    for (std::uint32_t id = 0; id < expected.size(); ++id) {
        BOOST_REQUIRE(views[id] == expected[id]);
        BOOST_REQUIRE_EQUAL(pool.intern(expected[id]), id);  // found, not added again
    }
    std::string almost = expected[expected.size() - 2];
    almost.back() ^= 1;
    BOOST_TEST(pool.find(almost) == -1);
}

// Strings whose hashes share their low 12 bits all start probing at the same
// table slot (the last one, so the cluster wraps around) at every capacity up
// to 4096: a long collision chain through several table growths.
BOOST_AUTO_TEST_CASE(many_collisions_keep_it_correct) {
    std::vector<std::string> colliding;
    for (std::size_t i = 0; colliding.size() < 300; ++i) {
        std::string s = "k" + std::to_string(i);
        if ((caseflow::detail::string_hash(s) & 0xfffu) == 0xfffu) colliding.push_back(s);
    }
    string_pool pool;
    std::vector<std::string> expected;
    for (std::size_t i = 0; i < colliding.size(); ++i) {
        expected.push_back(colliding[i]);
        BOOST_REQUIRE_EQUAL(pool.intern(colliding[i]), expected.size() - 1);
        if (i % 3 == 0) {  // some that (mostly) do not collide, in between
            expected.push_back(phone(i));
            BOOST_REQUIRE_EQUAL(pool.intern(phone(i)), expected.size() - 1);
        }
    }
    check_all(pool, expected);
    for (std::size_t i = 0; i < 20000; ++i) {  // absent ones probe through the cluster and stop
        std::string s = "k" + std::to_string(i) + "!";
        BOOST_REQUIRE_EQUAL(pool.find(s), -1);
    }
    BOOST_TEST(pool.size() == expected.size());
}

BOOST_AUTO_TEST_CASE(agrees_with_a_map_on_random_strings) {
    std::mt19937 rng(20260921);
    std::uniform_int_distribution<int> len(0, 20), ch(0, 3);
    std::map<std::string, std::uint32_t> ref;
    std::vector<std::string> expected;
    string_pool pool;
    for (int step = 0; step < 200000; ++step) {
        std::string s(static_cast<std::size_t>(len(rng)), ' ');
        for (char& c : s) c = "\0ab\xff"[ch(rng)];
        auto [it, added] = ref.emplace(s, static_cast<std::uint32_t>(ref.size()));
        if (added) expected.push_back(s);
        if (step % 2) {
            BOOST_REQUIRE_EQUAL(pool.find(s), added ? -1 : std::int64_t{it->second});
            if (added) ref.erase(it), expected.pop_back();
        } else {
            BOOST_REQUIRE_EQUAL(pool.intern(s), it->second);
        }
    }
    check_all(pool, expected);
}

BOOST_AUTO_TEST_CASE(copies_are_independent_and_moves_keep_views) {
    std::vector<std::string> expected;
    auto original = std::make_unique<string_pool>();
    for (std::size_t i = 0; i < 20000; ++i) {
        expected.push_back(i % 100 == 0 ? std::string(string_pool::block_bytes + i, 'x') : phone(i));
        original->intern(expected.back());
    }
    string_pool copy(*original);
    original->intern("only in the original");
    original.reset();  // the copy must not point into the original's storage
    check_all(copy, expected);
    BOOST_TEST(copy.find("only in the original") == -1);
    BOOST_TEST(copy.intern("only in the copy") == expected.size());
    expected.push_back("only in the copy");

    const std::string_view view = copy.get(5);
    string_pool moved(std::move(copy));
    BOOST_TEST(moved.get(5).data() == view.data());  // a move moves no characters
    check_all(moved, expected);

    string_pool assigned;
    assigned.intern("to be replaced");
    assigned = moved;  // copy assignment
    check_all(assigned, expected);
    string_pool target;
    target = std::move(moved);  // move assignment
    BOOST_TEST(target.get(5).data() == view.data());
    check_all(target, expected);
    BOOST_TEST(target.intern("after the move") == expected.size());
}
