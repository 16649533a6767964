/*
 * A C++ program on the dynamic libstdc++: iostreams (cout, string
 * streams, file streams, formatting), exceptions (thrown here and inside
 * libstdc++, unwinding through destructors and frames, rethrow, nested,
 * system_error from a failed call), static constructors, RTTI and the
 * standard containers and algorithms.  Its first lines of output are
 * fixed, and the integration test compares them.
 */
#include <algorithm>
#include <cerrno>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <numeric>
#include <sstream>
#include <stdexcept>
#include <string>
#include <system_error>
#include <typeinfo>
#include <unordered_map>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

#include "ltest.h"

/* Runs before main: a static constructor. */
static std::string greeting = std::string("hello from ") + "a static constructor";

static void test_iostreams()
{
	std::cout << "cxx: " << greeting << std::endl;
	std::cout << "cxx: " << 42 << ' ' << std::fixed << std::setprecision(3) << 3.14159 << ' '
	          << std::hex << 255 << std::dec << ' ' << std::setw(5) << std::setfill('*') << 7
	          << std::endl;
	std::cout.flush();

	std::ostringstream os;
	os << std::setw(6) << std::left << "ab" << '|' << std::right << std::setw(4) << 12 << '|'
	   << std::scientific << std::setprecision(2) << 1234.5;
	std::string formatted = os.str();
	CHECK_STR(formatted.c_str(), "ab    |  12|1.23e+03");

	std::istringstream is("17 words 2.5\nsecond line");
	int n = 0;
	std::string word, line;
	double d = 0;
	is >> n >> word >> d;
	std::getline(is, line); /* the rest of the first line */
	std::getline(is, line);
	CHECK_EQ(n, 17);
	CHECK_STR(word.c_str(), "words");
	CHECK(d == 2.5);
	CHECK_STR(line.c_str(), "second line");

	{
		std::ofstream out("cxx_file.txt");
		CHECK(out.good());
		for (int i = 1; i <= 3; i++)
			out << "line " << i << '\n';
	}
	std::ifstream in("cxx_file.txt");
	std::vector<std::string> lines;
	while (std::getline(in, line))
		lines.push_back(line);
	CHECK_EQ(lines.size(), 3);
	CHECK(lines.size() == 3 && lines[2] == "line 3");
	std::ifstream missing("cxx_no_such_file");
	CHECK(!missing.is_open());
	unlink("cxx_file.txt");
}

static int destroyed;

struct Guard {
	int id;
	explicit Guard(int i) : id(i)
	{
	}
	~Guard()
	{
		destroyed += id;
	}
};

struct MyError : std::runtime_error {
	int code;
	MyError(const char *what, int c) : std::runtime_error(what), code(c)
	{
	}
};

static void thrower(int depth)
{
	Guard g(depth);
	if (depth == 0)
		throw MyError("deep", 7);
	thrower(depth - 1);
}

static void test_exceptions()
{
	destroyed = 0;
	try {
		thrower(4);
		CHECK(!"not reached");
	} catch (const MyError &e) {
		CHECK_STR(e.what(), "deep");
		CHECK_EQ(e.code, 7);
	}
	CHECK_EQ(destroyed, 4 + 3 + 2 + 1 + 0); /* every frame's destructor ran */

	/* thrown inside libstdc++ */
	std::vector<int> v(3);
	bool caught = false;
	try {
		v.at(10) = 1;
	} catch (const std::out_of_range &) {
		caught = true;
	}
	CHECK(caught);
	caught = false;
	try {
		(void)std::stoi("not a number");
	} catch (const std::invalid_argument &e) {
		caught = std::string(e.what()) == "stoi";
	}
	CHECK(caught);

	/* rethrow and catch by base class, then catch (...) */
	int stage = 0;
	try {
		try {
			throw MyError("inner", 1);
		} catch (const std::exception &) {
			stage = 1;
			throw;
		}
	} catch (const std::runtime_error &e) {
		stage = std::string(e.what()) == "inner" ? 2 : -1;
	}
	CHECK_EQ(stage, 2);
	try {
		throw 42;
	} catch (...) {
		stage = 3;
	}
	CHECK_EQ(stage, 3);

	/* nested exceptions */
	try {
		try {
			throw std::logic_error("first");
		} catch (...) {
			std::throw_with_nested(std::runtime_error("second"));
		}
	} catch (const std::runtime_error &e) {
		CHECK_STR(e.what(), "second");
		try {
			std::rethrow_if_nested(e);
		} catch (const std::logic_error &inner) {
			stage = std::string(inner.what()) == "first" ? 4 : -1;
		}
	}
	CHECK_EQ(stage, 4);

	/* a failed system call reported as std::system_error */
	try {
		if (close(-1) < 0)
			throw std::system_error(errno, std::generic_category(), "close");
	} catch (const std::system_error &e) {
		CHECK(e.code() == std::errc::bad_file_descriptor);
	}

	/* exception_ptr carried out of the handler */
	std::exception_ptr saved;
	try {
		throw std::length_error("saved");
	} catch (...) {
		saved = std::current_exception();
	}
	try {
		std::rethrow_exception(saved);
	} catch (const std::length_error &e) {
		CHECK_STR(e.what(), "saved");
	}
}

struct Shape {
	virtual ~Shape() = default;
	virtual double area() const = 0;
};
struct Square : Shape {
	double s;
	explicit Square(double x) : s(x)
	{
	}
	double area() const override
	{
		return s * s;
	}
};
struct Circle : Shape {
	double r;
	explicit Circle(double x) : r(x)
	{
	}
	double area() const override
	{
		return 3 * r * r;
	}
};

static void test_objects_and_containers()
{
	std::vector<std::unique_ptr<Shape>> shapes;
	shapes.push_back(std::make_unique<Square>(2));
	shapes.push_back(std::make_unique<Circle>(1));
	double total = 0;
	for (const auto &s : shapes)
		total += s->area();
	CHECK(total == 7);
	CHECK(dynamic_cast<Square *>(shapes[0].get()) != nullptr);
	CHECK(dynamic_cast<Square *>(shapes[1].get()) == nullptr);
	CHECK(typeid(*shapes[1]) == typeid(Circle));

	std::vector<int> nums(100);
	std::iota(nums.begin(), nums.end(), 1);
	std::reverse(nums.begin(), nums.end());
	std::sort(nums.begin(), nums.end());
	CHECK_EQ(std::accumulate(nums.begin(), nums.end(), 0), 5050);
	CHECK_EQ(nums.front(), 1);

	std::map<std::string, int> counts;
	std::unordered_map<int, std::string> names;
	std::istringstream text("b a c a b a");
	std::string w;
	while (text >> w)
		counts[w]++;
	for (const auto &kv : counts)
		names[kv.second] = kv.first;
	CHECK_EQ(counts.size(), 3);
	CHECK_STR(counts.begin()->first.c_str(), "a");
	CHECK_STR(names[3].c_str(), "a");
	CHECK_STR(names[1].c_str(), "c");

	/* the heap: many allocations freed in another order */
	std::vector<std::string> many;
	for (int i = 0; i < 2000; i++)
		many.push_back(std::string(static_cast<size_t>(i % 97 + 1), 'x'));
	size_t sum = 0;
	for (const auto &s : many)
		sum += s.size();
	many.clear();
	many.shrink_to_fit();
	CHECK_EQ(sum, 96890);
}

int main()
{
	test_iostreams();
	test_exceptions();
	test_objects_and_containers();
	return ltest_done("cxx");
}
