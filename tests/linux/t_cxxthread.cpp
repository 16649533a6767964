/*
 * C++ threads on the dynamic libstdc++ (pthreads underneath: clone with
 * CLONE_THREAD, futexes): std::thread with join, std::mutex and
 * std::lock_guard, std::condition_variable, std::async and futures
 * (an exception thrown in a thread arrives in the caller), thread_local,
 * std::atomic, std::this_thread::sleep_for.
 */
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <iostream>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include <sys/syscall.h>
#include <unistd.h>

#include "ltest.h"

static thread_local int per_thread = 5;

static void test_join_and_mutex()
{
	const int nthreads = 8, rounds = 2000;
	std::mutex m;
	long counter = 0;
	std::atomic<int> atomic_counter{0};
	std::vector<std::thread> threads;
	std::vector<long> tids(nthreads);
	for (int i = 0; i < nthreads; i++)
		threads.emplace_back([&, i] {
			per_thread += i;
			for (int k = 0; k < rounds; k++) {
				std::lock_guard<std::mutex> g(m);
				counter++;
				atomic_counter.fetch_add(1, std::memory_order_relaxed);
			}
			tids[i] = syscall(SYS_gettid);
		});
	for (auto &t : threads)
		t.join();
	CHECK_EQ(counter, (long)nthreads * rounds);
	CHECK_EQ(atomic_counter.load(), nthreads * rounds);
	CHECK_EQ(per_thread, 5); /* the threads changed their own copies */
	int distinct = 1;
	for (int i = 0; i < nthreads; i++) {
		distinct &= tids[i] != getpid();
		for (int j = 0; j < i; j++)
			distinct &= tids[i] != tids[j];
	}
	CHECK(distinct);
}

static void test_condition_variable()
{
	std::mutex m;
	std::condition_variable cv;
	int stage = 0;
	std::thread worker([&] {
		std::unique_lock<std::mutex> lk(m);
		cv.wait(lk, [&] { return stage == 1; });
		stage = 2;
		lk.unlock();
		cv.notify_one();
	});
	{
		std::lock_guard<std::mutex> g(m);
		stage = 1;
	}
	cv.notify_one();
	std::unique_lock<std::mutex> lk(m);
	bool done = cv.wait_for(lk, std::chrono::seconds(10), [&] { return stage == 2; });
	lk.unlock();
	worker.join();
	CHECK(done);
	CHECK_EQ(stage, 2);

	/* a timed wait nobody signals times out, roughly on time */
	auto start = std::chrono::steady_clock::now();
	lk.lock();
	bool woken = cv.wait_for(lk, std::chrono::milliseconds(50), [] { return false; });
	lk.unlock();
	auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
	              std::chrono::steady_clock::now() - start)
	              .count();
	CHECK(!woken);
	CHECK(ms >= 50 && ms < 2000);
}

static void test_async()
{
	auto square = std::async(
	    std::launch::async, [](int x) { return x * x; }, 12);
	CHECK_EQ(square.get(), 144);
	auto failing = std::async(std::launch::async, [] {
		std::this_thread::sleep_for(std::chrono::milliseconds(10));
		throw std::runtime_error("from a thread");
		return 0;
	});
	bool caught = false;
	try {
		failing.get();
	} catch (const std::runtime_error &e) {
		caught = std::string(e.what()) == "from a thread";
	}
	CHECK(caught);

	std::promise<std::string> p;
	std::future<std::string> f = p.get_future();
	std::thread t([&p] { p.set_value("promised"); });
	CHECK(f.get() == "promised");
	t.join();
}

int main()
{
	try {
		test_join_and_mutex();
		test_condition_variable();
		test_async();
	} catch (const std::system_error &e) {
		/* std::thread could not start one */
		std::cout << "FAIL: std::system_error: " << e.what() << std::endl;
		CHECK(!"threads start");
	}
	return ltest_done("cxxthread");
}
