/*
 * true: exits with status 0.  The trivial static glibc program lbench's
 * fork_exec_wait runs.
 */
int main(void)
{
	return 0;
}
