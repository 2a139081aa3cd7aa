/**
 * What the vendor's and the broker's configuration files share: reading one YAML value as the type
 * a setting expects, with an error that names the setting, what was expected and what was found,
 * and never a secret's value.
 */
@NullMarked
package org.millicent.http.config;

import org.jspecify.annotations.NullMarked;
