/* A stand-in for Outlook and the other MAPI clients that StopProcesses
 * closes (scenario logon.stop_processes, under Wine on Xvfb). Copied under
 * their image names by the test. Built twice: fake_closes closes when asked
 * (WM_CLOSE), as Outlook does; fake_ignores ignores the request, as a client
 * stuck in a dialog would, and must be ended. argv[1]: a file created once
 * the window exists; argv[2]: a file that receives what happened. Each ends
 * by itself after two minutes, so a failed test leaves nothing running. */
#include <windows.h>

#include <stdio.h>

static const char *report_path;

static void report(const char *what)
{
	FILE *f = fopen(report_path, "ab");
	if (f) {
		fprintf(f, "%s\n", what);
		fclose(f);
	}
}

static LRESULT CALLBACK proc(HWND w, UINT m, WPARAM wp, LPARAM lp)
{
	switch (m) {
	case WM_CLOSE:
#if RP_IGNORE_CLOSE
		report("asked to close: ignored");
		return 0;
#else
		report("asked to close: closing");
		DestroyWindow(w);
		return 0;
#endif
	case WM_TIMER:
		report("timed out");
		DestroyWindow(w);
		return 0;
	case WM_DESTROY:
		PostQuitMessage(0);
		return 0;
	}
	return DefWindowProcW(w, m, wp, lp);
}

int main(int argc, char **argv)
{
	WNDCLASSW wc = {0};
	HWND w;
	MSG msg;
	FILE *f;
	if (argc < 3)
		return 2;
	report_path = argv[2];
	wc.lpfnWndProc = proc;
	wc.hInstance = GetModuleHandleW(NULL);
	wc.lpszClassName = L"reprofile-fake-client";
	RegisterClassW(&wc);
	w = CreateWindowExW(0, wc.lpszClassName, L"fake client", WS_OVERLAPPEDWINDOW, 0,
			    0, 200, 100, NULL, NULL, wc.hInstance, NULL);
	if (!w) {
		report("no window (no display?)");
		return 3;
	}
	SetTimer(w, 1, 120000, NULL);
	if ((f = fopen(argv[1], "wb")))
		fclose(f);
	while (GetMessageW(&msg, NULL, 0, 0) > 0) {
		TranslateMessage(&msg);
		DispatchMessageW(&msg);
	}
	report("exited");
	return 0;
}
