package dev.tally.counter;

import static dev.tally.support.Http.value;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.support.Concurrently;
import dev.tally.support.EmbeddedTomcat;
import dev.tally.support.Http;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.apache.tomcat.util.descriptor.web.ContextResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code tally.store=java:comp/env/jdbc/tally}: the SQL store on the container's own pool, declared as a Tomcat
 * {@code <Resource>} the way {@code tomcat-conf/context.xml} shows (here Tomcat's DBCP pool on an H2 database, the
 * driver in the container's class path).
 */
class JndiStoreIT {

    static EmbeddedTomcat tomcat;

    @BeforeAll
    static void start() throws Exception {
        tomcat = EmbeddedTomcat.start(Map.of("tally.store", "java:comp/env/jdbc/tally"), (server, tally) -> {
            server.enableNaming();
            ContextResource resource = new ContextResource();
            resource.setName("jdbc/tally");
            resource.setType("javax.sql.DataSource");
            resource.setAuth("Container");
            resource.setProperty("factory", "org.apache.tomcat.dbcp.dbcp2.BasicDataSourceFactory");
            resource.setProperty("driverClassName", "org.h2.Driver");
            resource.setProperty("url", "jdbc:h2:mem:jndi;DB_CLOSE_DELAY=-1");
            resource.setProperty("maxTotal", "16");
            resource.setProperty("maxWaitMillis", "1000");
            tally.getNamingResources().addResource(resource);
        });
    }

    @AfterAll
    static void stop() throws Exception {
        tomcat.close();
    }

    @Test
    void countersAndCacheLiveInTheContainersDataSource() throws Exception {
        Http http = Http.withoutCookies(tomcat.base());

        List<Long> values = Concurrently.run(20, 25, (client, request) -> value(http.post("/api/counters/jndi")));

        assertThat(values).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 500).boxed().toList());
        assertThat(http.putJson("/api/cache/jndi", "{\"via\":\"jndi\"}").statusCode()).isEqualTo(204);
        assertThat(http.get("/api/cache/jndi").body()).isEqualTo("{\"via\":\"jndi\"}\n");
        assertThat(http.get("/api/health").body()).isEqualTo("{\"status\":\"UP\",\"store\":\"h2\"}\n");
    }
}
