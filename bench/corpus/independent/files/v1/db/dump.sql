-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)
-- Host: localhost    Database: shop
/*!40101 SET NAMES utf8mb4 */;
DROP TABLE IF EXISTS `users`;
CREATE TABLE `users` (`id` int NOT NULL, `email` varchar(191),
  `password` varchar(255) NOT NULL, `remember_token` varchar(100)) ENGINE=InnoDB;
LOCK TABLES `users` WRITE;
INSERT INTO `users` VALUES (1,'deploy1@shop.test','$2b$12$J3j90cG15LEaZBIoHZcKFtJtnLEalFdSnj9euADUAHedo0AALpVc5',NULL);
INSERT INTO `users` VALUES (2,'www-data2@shop.test','$1$XDjgfHuu$3fadAc5hnhitXF7b8Mr33Y',NULL);
INSERT INTO `users` VALUES (3,'ops3@shop.test','$2b$10$o9FTBFs.S4Q/SHkHImxX.Rcay2irEtEe.yH/fxmj1z3Dw79ndRVt8',NULL);
INSERT INTO `users` VALUES (4,'ops4@shop.test','$1$sbgyPr7o$DgEqOSQSQf0nXY5/palaJw',NULL);
INSERT INTO `users` VALUES (9,'guest@shop.test','',NULL);
UNLOCK TABLES;
INSERT INTO `settings` VALUES ('theme','dark'),('currency','EUR');
INSERT INTO `files` VALUES (1,'logo.png','e9c13ea50f578b3a0bbc3aaa94502ea730b6d8a8028b2c80bd0980b117e3a28b');
