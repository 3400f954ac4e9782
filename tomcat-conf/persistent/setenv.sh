# Variant "persistent": copy to $CATALINA_BASE/bin/setenv.sh. PersistentManager must know whether a request is
# using a session before it writes it; Tomcat tracks that only with this property.
CATALINA_OPTS="$CATALINA_OPTS -Dorg.apache.catalina.session.StandardSession.ACTIVITY_CHECK=true"
