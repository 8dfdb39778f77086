package io.dsplane.contracts.registry;

import java.sql.SQLException;

import jakarta.persistence.PersistenceException;
import jakarta.transaction.RollbackException;
import jakarta.transaction.SystemException;

import org.hibernate.HibernateException;

import io.quarkus.narayana.jta.QuarkusTransactionException;

/**
 * DatabaseFailures tells a failure of the database or the transaction manager (connection lost,
 * deadlock, commit refused) from a failure caused by the data being applied. The first kind says
 * nothing about the record and is retried, then stops the consumer so that a restart redelivers;
 * only the second kind may park a record.
 */
public final class DatabaseFailures {

    private DatabaseFailures() {
    }

    /** isDatabaseFailure is true when any cause in the chain comes from JDBC, JPA or JTA. */
    public static boolean isDatabaseFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException || t instanceof PersistenceException || t instanceof HibernateException
                    || t instanceof RollbackException || t instanceof SystemException
                    || t instanceof QuarkusTransactionException) {
                return true;
            }
        }
        return false;
    }
}
