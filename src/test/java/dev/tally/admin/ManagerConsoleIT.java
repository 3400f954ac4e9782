package dev.tally.admin;

import static dev.tally.support.Http.basic;
import static dev.tally.support.Http.value;
import static dev.tally.support.StandaloneTomcat.OPS;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.tools.attach.VirtualMachine;
import dev.tally.support.Http;
import dev.tally.support.StandaloneTomcat;
import dev.tally.support.TestServers;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tally from the container's admin console: a real Tomcat distribution with tomcat-conf's server.xml, users and
 * Manager descriptor, as an operator installs them; Tally's MBeans read and operated through the Manager's JMX proxy.
 */
class ManagerConsoleIT {

    private static final String CONSOLE = basic("tally-console", "CHANGE-ME-console");
    private static StandaloneTomcat tomcat;
    private static int port;
    private static Http manager;
    private static Http tally;

    @BeforeAll
    static void start() throws Exception {
        port = TestServers.freePort();
        tomcat = StandaloneTomcat.withShippedConf(port, Map.of(), true);
        tally = Http.withoutCookies(tomcat.base());
        manager = Http.withoutCookies(tomcat.base().replace("/tally", "/manager"));
    }

    @AfterAll
    static void stop() throws Exception {
        tomcat.close();
    }

    @Test
    void jmxProxyShowsCountersAndStoreAndResetsACounter() {
        tally.post("/api/counters/console");
        tally.post("/api/counters/console");

        HttpResponse<String> counters = manager.get("/jmxproxy/?qry=" + encode("dev.tally:type=Counter,*"),
                "Authorization", OPS);
        assertThat(counters.statusCode()).as(counters.body()).isEqualTo(200);
        assertThat(counters.body()).contains("Name: dev.tally:type=Counter,context=/tally,name=console")
                .contains("Value: 2");
        HttpResponse<String> store = manager.get("/jmxproxy/?qry=" + encode("dev.tally:type=Store,*"),
                "Authorization", OPS);
        assertThat(store.body()).contains("Kind: memory").contains("Reachable: true").contains("Failures: 0");
        Http.withCookies(tomcat.base()).post("/api/session/counter/inc");
        HttpResponse<String> sessions = manager.get("/jmxproxy/?qry=" + encode("dev.tally:type=Sessions,*"),
                "Authorization", OPS);
        assertThat(sessions.body()).contains("Name: dev.tally:type=Sessions,context=/tally")
                .contains("SessionsWithCounter: 1").contains("DataKeys: 0");

        HttpResponse<String> reset = manager.get("/jmxproxy/?invoke="
                + encode("dev.tally:type=Counter,context=/tally,name=console") + "&op=reset", "Authorization", OPS);
        assertThat(reset.body()).startsWith("OK");
        assertThat(value(tally.get("/api/counters/console"))).isZero();
    }

    @Test
    void jconsoleReachesTheSameMBeansByAttachingToTheTomcatProcess() throws Exception {
        tally.post("/api/counters/jconsole");
        tally.post("/api/counters/jconsole");
        ObjectName counter = new ObjectName("dev.tally:type=Counter,context=/tally,name=jconsole");
        // What jconsole does for a local process: attach, start the local management agent, connect to it.
        VirtualMachine vm = VirtualMachine.attach(String.valueOf(tomcat.pid()));
        try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent()))) {
            MBeanServerConnection jmx = connector.getMBeanServerConnection();
            assertThat(jmx.getAttribute(counter, "Value")).isEqualTo(2L);
            assertThat(jmx.getAttribute(new ObjectName("dev.tally:type=Store,context=/tally"), "Kind"))
                    .isEqualTo("memory");
            jmx.invoke(counter, "reset", null, null);
        } finally {
            vm.detach();
        }
        assertThat(value(tally.get("/api/counters/jconsole"))).isZero();
    }

    @Test
    void wrongPasswordsLockTheUserOutAndFailuresOfOtherNamesDoNotFlushIt() {
        long warningsBefore = warnings();
        String wrong = basic("tally-admin", "guess");
        for (int attempt = 1; attempt <= 5; attempt++) {
            assertThat(tally.delete("/api/counters/locked", "Authorization", wrong).statusCode()).isEqualTo(401);
        }
        String right = basic("tally-admin", "CHANGE-ME-before-use");
        // Tally's lockout (and LockOutRealm behind it): 5 failures lock the user for 5 minutes, the right password too.
        assertThat(tally.delete("/api/counters/locked", "Authorization", right).statusCode()).isEqualTo(401);

        // LockOutRealm alone forgets the oldest of the 1 000 names it holds: this many failures of other names made
        // it forget tally-admin, and the right password then worked. Tally keeps every name until it ages out.
        for (int name = 0; name < 1_200; name++) {
            assertThat(tally.delete("/api/counters/locked", "Authorization", basic("flush-" + name, "x"))
                    .statusCode()).isEqualTo(401);
        }
        assertThat(tally.delete("/api/counters/locked", "Authorization", right).statusCode())
                .as("still locked after 1 200 failures of other names").isEqualTo(401);
        assertThat(warnings() - warningsBefore).as("failed logins are not logged one line each")
                .isLessThanOrEqualTo(2);
    }

    private static long warnings() {
        return tomcat.console().lines().filter(line -> line.contains("WARNING") || line.contains("SEVERE")).count();
    }

    @Test
    void containerErrorPagesShowNoVersionAndNoStackTrace() throws Exception {
        // Answered by Tomcat itself: no such application, no such Manager page, a request it cannot parse.
        Http server = Http.withoutCookies("http://localhost:" + port);
        List<String> pages = new ArrayList<>();
        for (HttpResponse<String> page : List.of(server.get("/no-such-application/"),
                server.get("/manager/no-such-page", "Authorization", OPS))) {
            assertThat(page.statusCode()).isEqualTo(404);
            assertThat(page.headers().firstValue("Server")).isEmpty();
            pages.add(page.body());
        }
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream().write("GET /%zz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 400 ");
            pages.add(answer);
        }
        assertThat(pages).allSatisfy(page -> assertThat(page).doesNotContain("Apache Tomcat/")
                .doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("Server: "));
    }

    @Test
    void theJvmCommandLineIsNotLogged() {
        // The test's Tomcat has -Dcatalina.base=... and more; a -Dtally.store=redis://user:password@... would be
        // among them. VersionLoggerListener logs each as "Command line argument: ..." unless logArgs="false".
        assertThat(tomcat.console()).contains("Server version name").doesNotContain("Command line argument");
    }

    @Test
    void scriptAndGuiRolesAreSeparate() {
        assertThat(manager.get("/jmxproxy/?qry=" + encode("dev.tally:*"), "Authorization", CONSOLE).statusCode())
                .isEqualTo(403);
        assertThat(manager.get("/html/list", "Authorization", OPS).statusCode()).isEqualTo(403);
        assertThat(manager.get("/html/list", "Authorization", CONSOLE).statusCode()).isEqualTo(200);
        assertThat(manager.get("/text/list", "Authorization", OPS).body()).contains("/tally:running");
        assertThat(manager.get("/text/list").statusCode()).isEqualTo(401);
    }

    @Test
    void managerRefusesAnyAddressButLoopbackItself() throws Exception {
        // The connector listens on localhost; a client bound to 127.0.0.2 is another address to the valve.
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress("127.0.0.2", 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port));
            socket.getOutputStream().write(("GET /manager/text/list HTTP/1.1\r\nHost: localhost\r\nAuthorization: "
                    + OPS + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String status = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
            assertThat(status).isEqualTo("HTTP/1.1 403 ");
        }
        assertThat(manager.get("/text/list", "Authorization", OPS).statusCode()).isEqualTo(200);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
