// placeholder: helper B replaces this with the real generator
#include <fstream>
int main(int, char** argv) { std::ofstream(argv[2]) << "// empty\n"; return 0; }
