package dev.slipway.upload.console;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The console's addresses: the root and {@code /console} lead to its folder, whose page is its index.
 * Pages, not API: they return no body of their own, so the API's description leaves them out.
 */
@Controller
class ConsoleController {

    @GetMapping({"/", "/console"})
    String toConsole() {
        return "redirect:" + ConsolePaths.HOME;
    }

    @GetMapping(ConsolePaths.HOME)
    String index() {
        return "forward:" + ConsolePaths.HOME + "index.html";
    }
}
