/* poweroff: writes file systems back and stops the machine. */
#include <scarlet.h>
#include <unistd.h>

int main(void)
{
	sync();
	sc_poweroff(0);
}
